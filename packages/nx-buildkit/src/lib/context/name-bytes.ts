/**
 * File names are bytes. Linux allows any byte but `/` and NUL, and BuildKit sends every name as it is; Node decodes
 * names as UTF-8 and replaces what is not, so `bad-\xff.txt` read as a string names no file (lstat: ENOENT). Names are
 * therefore read as bytes and decoded losslessly: valid UTF-8 as itself, each other byte as the lone surrogate
 * U+DC80–U+DCFF (Python's "surrogateescape"), which valid UTF-8 can never produce. The string is then a unique key
 * (sorting, matching, the inputs manifest), and the bytes come back for the file system and the hash.
 */
const strict = new TextDecoder('utf-8', { fatal: true });
const ESCAPED_BYTE = /[\udc80-\udcff]/;

export function decodeName(bytes: Buffer): string {
  try {
    return strict.decode(bytes);
  } catch {
    let out = '';
    let i = 0;
    while (i < bytes.length) {
      const length = sequenceLength(bytes[i]);
      const sequence = length > 0 && i + length <= bytes.length ? tryDecode(bytes.subarray(i, i + length)) : undefined;
      if (sequence !== undefined) {
        out += sequence;
        i += length;
      } else {
        out += String.fromCharCode(0xdc00 + bytes[i]);
        i += 1;
      }
    }
    return out;
  }
}

/** The bytes a decoded name stands for; the same as Buffer.from(name) for every name that was valid UTF-8. */
export function encodeName(name: string): Buffer {
  if (!ESCAPED_BYTE.test(name)) return Buffer.from(name);
  const parts: Buffer[] = [];
  let text = '';
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    const lone = code >= 0xdc80 && code <= 0xdcff && !(i > 0 && isHighSurrogate(name.charCodeAt(i - 1)));
    if (lone) {
      parts.push(Buffer.from(text), Buffer.from([code - 0xdc00]));
      text = '';
    } else {
      text += name[i];
    }
  }
  parts.push(Buffer.from(text));
  return Buffer.concat(parts);
}

/** Whether a decoded name holds a byte that was not UTF-8 (node:fs must then be given its bytes). */
export function hasEscapedByte(name: string): boolean {
  return ESCAPED_BYTE.test(name);
}

/**
 * A path for node:fs below `root`, an absolute, normalized folder (path.resolve's), from a walk's relative path: a
 * string when the name is valid UTF-8, else its bytes. Joined by hand: path.join normalizing every path again was
 * ~10 % of a walk of 50k files.
 */
export function fsPath(root: string, relativePath: string): string | Buffer {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  if (!ESCAPED_BYTE.test(relativePath)) return prefix + relativePath;
  return Buffer.concat([Buffer.from(prefix), encodeName(relativePath)]);
}

function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function tryDecode(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
