import { applyEdits } from './text-edits';

describe('applyEdits', () => {
  it('applies replacements, insertions after a line and inside a line, all at original positions', () => {
    const lines = ['a', 'b', 'c', 'd'];
    expect(
      applyEdits(lines, [
        { kind: 'replace', start: 0, end: 0, lines: ['A1', 'A2'] },
        { kind: 'insert-text', line: 2, character: 1, text: '!' },
        { kind: 'insert-after', line: 2, lines: ['after c'] },
        { kind: 'replace', start: 3, end: 3, lines: [] },
      ]),
    ).toEqual(['A1', 'A2', 'b', 'c!', 'after c']);
    expect(lines).toEqual(['a', 'b', 'c', 'd']);
  });
});
