/**
 * Line-based edits on a Dockerfile's text. Everything outside the edited ranges is kept byte for byte, which is how
 * the optimizer keeps comments and instructions it does not understand.
 */
export type TextEdit =
  /** Replaces lines start..end (0-based, inclusive); no lines deletes them. */
  | { readonly kind: 'replace'; readonly start: number; readonly end: number; readonly lines: readonly string[] }
  /** Inserts whole lines after a line (0-based); `from` is the line they were moved from, when they were. */
  | { readonly kind: 'insert-after'; readonly line: number; readonly lines: readonly string[]; readonly from?: number }
  /** Inserts text inside a line, before the character at `character` (0-based). */
  | { readonly kind: 'insert-text'; readonly line: number; readonly character: number; readonly text: string };

/** Applies non-overlapping edits, from the end of the file backwards so earlier positions stay valid. */
export function applyEdits(lines: readonly string[], edits: readonly TextEdit[]): string[] {
  return applyEditsTracked(lines, lines.map((_, i) => i), edits).lines;
}

/**
 * Applies the edits and follows each line to where it came from: `origins[i]` is the line of the input that output
 * line i was made from (the edited instruction's first line for rewritten lines, the old place for moved ones), so
 * messages about the result can cite the lines the user wrote.
 */
export function applyEditsTracked(lines: readonly string[], origins: readonly number[], edits: readonly TextEdit[]): { lines: string[]; origins: number[] } {
  const result = [...lines];
  const from = [...origins];
  const order = (edit: TextEdit): [number, number, number] => {
    switch (edit.kind) {
      case 'insert-after':
        return [edit.line, 2, 0];
      case 'insert-text':
        return [edit.line, 1, edit.character];
      case 'replace':
        return [edit.start, 0, 0];
    }
  };
  const sorted = [...edits].sort((a, b) => {
    const [la, ka, ca] = order(a);
    const [lb, kb, cb] = order(b);
    return lb - la || kb - ka || cb - ca;
  });
  for (const edit of sorted) {
    if (edit.kind === 'insert-after') {
      result.splice(edit.line + 1, 0, ...edit.lines);
      from.splice(edit.line + 1, 0, ...edit.lines.map((_, i) => (edit.from === undefined ? from[edit.line] : origins[edit.from + i] ?? origins[edit.from])));
    } else if (edit.kind === 'insert-text') {
      result[edit.line] = result[edit.line].slice(0, edit.character) + edit.text + result[edit.line].slice(edit.character);
    } else {
      result.splice(edit.start, edit.end - edit.start + 1, ...edit.lines);
      from.splice(edit.start, edit.end - edit.start + 1, ...edit.lines.map(() => from[edit.start]));
    }
  }
  return { lines: result, origins: from };
}
