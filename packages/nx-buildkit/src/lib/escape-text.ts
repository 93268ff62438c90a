/**
 * Text from the workspace (file and project names, RUN output, error lines) shown in the HTML run report, the GitHub
 * step summary and console messages. One escaping for each medium, shared by every writer, so a name with `|`, `<`,
 * a newline or bytes that are not UTF-8 shows as itself and never as markup or a broken line.
 */

/** `&<>"'` as entities: safe in HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);
}

/**
 * Control characters (C0, DEL, C1, the Unicode line and paragraph separators) as visible escapes (`\n`, `\r`, `\x1b`,
 * `\u2028`); a byte of a file name that is not UTF-8 (held as U+DC80–U+DCFF, see context/name-bytes.ts) as `\xff`,
 * and any other lone surrogate as `\u{d800}`: a name shows on one line, as itself, and cannot move the cursor or
 * recolour a terminal.
 */
export function escapeControlChars(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (char) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    if (named[char]) return named[char];
    const code = char.charCodeAt(0);
    if (code >= 0xdc80 && code <= 0xdcff) return `\\x${(code - 0xdc00).toString(16)}`;
    if (code >= 0xd800) return `\\u{${code.toString(16)}}`;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/**
 * One cell of a GitHub Markdown table: line breaks as spaces (a `\r` or `\n` would end the row), other control
 * characters escaped, HTML escaped as the HTML report does, and the characters Markdown reads as table or inline
 * syntax (`\ | ` * _ [ ] ~`) backslash-escaped.
 */
export function markdownTableCell(text: string): string {
  const oneLine = escapeControlChars(text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' '));
  return escapeHtml(oneLine).replace(/[\\|`*_[\]~]/g, (char) => `\\${char}`);
}
