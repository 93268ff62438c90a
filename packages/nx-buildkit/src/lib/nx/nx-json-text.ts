/**
 * nx.json edited as text: one plugin entry added to `plugins`, every other byte kept (indentation, key order, inline
 * arrays, comments, line endings). Nx's updateNxJson re-serializes the whole file, a 40-line diff for one plugin line
 * in a workspace without prettier.
 */

/**
 * The text with `entry` appended to the root object's `plugins` array (the array created when there is none).
 * Undefined when the text is not a JSON object this scanner can follow; the caller then writes it as Nx does.
 */
export function addPluginEntryToText(text: string, entry: unknown): string | undefined {
  const root = scanRoot(text);
  if (!root) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const unit = indentUnit(text);
  if (root.plugins) {
    const { open, close, empty } = root.plugins;
    const inner = text.slice(open + 1, close);
    if (!inner.includes('\n')) {
      // An inline array stays inline.
      const value = JSON.stringify(entry);
      return `${text.slice(0, close)}${empty ? value : `, ${value}`}${text.slice(close)}`;
    }
    const closeLineIndent = lineIndent(text, close);
    const itemIndent = empty ? closeLineIndent + unit : lineIndent(text, root.plugins.lastValueEnd);
    const value = serialize(entry, unit, itemIndent, eol);
    if (empty) return `${text.slice(0, open + 1)}${eol}${itemIndent}${value}${eol}${closeLineIndent}${text.slice(close).replace(/^\s*(?=\])/, '')}`;
    const insertAt = root.plugins.lastValueEnd;
    return `${text.slice(0, insertAt)},${eol}${itemIndent}${value}${text.slice(insertAt)}`;
  }
  const value = JSON.stringify(entry);
  if (root.lastValueEnd === undefined) return `${text.slice(0, root.open + 1)}${eol}${unit}"plugins": [${value}]${eol}${text.slice(root.close)}`;
  const keyIndent = lineIndent(text, root.firstKeyStart as number);
  return `${text.slice(0, root.lastValueEnd)},${eol}${keyIndent}"plugins": [${value}]${text.slice(root.lastValueEnd)}`;
}

interface RootScan {
  readonly open: number;
  readonly close: number;
  readonly firstKeyStart?: number;
  /** End (exclusive) of the last member's value. */
  readonly lastValueEnd?: number;
  readonly plugins?: { readonly open: number; readonly close: number; readonly empty: boolean; readonly lastValueEnd: number };
}

/** Walks the root object, skipping strings and comments, to find its members and the `plugins` array. */
function scanRoot(text: string): RootScan | undefined {
  let i = skip(text, 0);
  if (text[i] !== '{') return undefined;
  const open = i;
  let depth = 0;
  let firstKeyStart: number | undefined;
  let lastValueEnd: number | undefined;
  let plugins: RootScan['plugins'];
  let pendingKey: string | undefined;
  let expectKey = true;
  // Inside the plugins array: where it opened, and where its last value ended.
  let pluginsOpen: number | undefined;
  let pluginsLastValueEnd: number | undefined;
  for (; i < text.length; i = skip(text, i)) {
    const ch = text[i];
    if (ch === '"') {
      const end = stringEnd(text, i);
      if (end === undefined) return undefined;
      if (depth === 1 && expectKey) {
        firstKeyStart ??= i;
        pendingKey = JSON.parse(text.slice(i, end)) as string;
        expectKey = false;
      } else if (depth === 1) lastValueEnd = end;
      else if (depth === 2 && pluginsOpen !== undefined) pluginsLastValueEnd = end;
      i = end;
      continue;
    }
    if (ch === '{' || ch === '[') {
      depth++;
      if (depth === 2 && ch === '[' && pendingKey === 'plugins') pluginsOpen = i;
      i++;
      continue;
    }
    if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return { open, close: i, firstKeyStart, lastValueEnd, plugins };
      if (depth === 1) {
        lastValueEnd = i + 1;
        if (pluginsOpen !== undefined) {
          plugins = { open: pluginsOpen, close: i, empty: pluginsLastValueEnd === undefined, lastValueEnd: pluginsLastValueEnd ?? pluginsOpen + 1 };
          pluginsOpen = undefined;
        }
      } else if (depth === 2 && pluginsOpen !== undefined) pluginsLastValueEnd = i + 1;
      i++;
      continue;
    }
    if (ch === ',') {
      if (depth === 1) {
        expectKey = true;
        pendingKey = undefined;
      }
      i++;
      continue;
    }
    if (ch === ':') {
      i++;
      continue;
    }
    // A number, true, false or null.
    const match = /^[^\s,\]}/]+/.exec(text.slice(i));
    if (!match) return undefined;
    i += match[0].length;
    if (depth === 1) lastValueEnd = i;
    else if (depth === 2 && pluginsOpen !== undefined) pluginsLastValueEnd = i;
  }
  return undefined;
}

/** Past whitespace and comments. */
function skip(text: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else return i;
  }
}

function stringEnd(text: string, start: number): number | undefined {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return undefined;
}

/** The file's indentation unit: the leading whitespace of its first indented line (two spaces when none is). */
function indentUnit(text: string): string {
  return /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ';
}

function lineIndent(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/** A value as the file writes one: `unit` per level, continued lines under `indent`. */
function serialize(value: unknown, unit: string, indent: string, eol: string): string {
  return JSON.stringify(value, null, unit).split('\n').join(`${eol}${indent}`);
}
