/**
 * A unified diff of two texts (as `diff -u` prints it, 3 lines of context), for showing what the optimizer changes.
 * Dockerfiles are short, so a plain longest-common-subsequence table is fast enough.
 */
export function unifiedDiff(before: string, after: string, path: string, context = 3): string {
  if (before === after) return '';
  // A final newline ends the last line; it is not an empty line of its own.
  const lines = (text: string) => (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  const a = lines(before);
  const b = lines(after);
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  type Op = { kind: ' ' | '-' | '+'; text: string; aLine: number; bLine: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ kind: ' ', text: a[i++], aLine: i, bLine: ++j });
    // Removals before additions, as diff -u prints a changed line.
    else if (i < a.length && (j >= b.length || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ kind: '-', text: a[i++], aLine: i, bLine: j });
    else ops.push({ kind: '+', text: b[j++], aLine: i, bLine: j });
  }
  const out = [`--- a/${path}`, `+++ b/${path}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k].kind === ' ') {
      k++;
      continue;
    }
    const start = Math.max(0, k - context);
    let end = k;
    // Extend the hunk while the next change is within 2 × context lines.
    for (;;) {
      while (end < ops.length && ops[end].kind !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next].kind === ' ' && next - end < 2 * context) next++;
      if (next < ops.length && ops[next].kind !== ' ' && next - end <= 2 * context) end = next;
      else break;
    }
    end = Math.min(ops.length, end + context);
    const hunk = ops.slice(start, end);
    const aStart = firstLine(hunk, 'a');
    const bStart = firstLine(hunk, 'b');
    const aCount = hunk.filter((op) => op.kind !== '+').length;
    const bCount = hunk.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.text}`);
    k = end;
  }
  return `${out.join('\n')}\n`;
}

function firstLine(hunk: ReadonlyArray<{ kind: string; aLine: number; bLine: number }>, side: 'a' | 'b'): number {
  const first = hunk.find((op) => (side === 'a' ? op.kind !== '+' : op.kind !== '-'));
  if (first) return side === 'a' ? first.aLine : first.bLine;
  // A hunk with only additions (or only removals) starts after the line before it, as diff -u counts.
  return side === 'a' ? hunk[0].aLine : hunk[0].bLine;
}
