import { formatStepSummary } from './image/report/batch-report';
import { renderRunReport } from './image/report/run-report';
import { escapeControlChars, escapeHtml, markdownTableCell } from './escape-text';

describe('markdownTableCell', () => {
  it('keeps a row one row: | is escaped, \\r and \\n become spaces', () => {
    expect(markdownTableCell('a|b\rc\nd\r\ne')).toBe('a\\|b c d e');
  });

  it('escapes HTML as the HTML report does, then Markdown syntax', () => {
    expect(markdownTableCell('<img src=x onerror=alert(1)> & "q"')).toBe(`${escapeHtml('<img src=x onerror=alert(1)>')} &amp; &quot;q&quot;`);
    expect(markdownTableCell('[link](http://x) *b* _i_ `c` ~s~ \\')).toBe('\\[link\\](http://x) \\*b\\* \\_i\\_ \\`c\\` \\~s\\~ \\\\');
  });

  it('shows other control characters and broken names escaped', () => {
    expect(markdownTableCell('bell\u0007 esc\u001b[31m')).toBe('bell\\\\x07 esc\\\\x1b\\[31m');
  });
});

describe('escapeControlChars', () => {
  it('escapes controls and lone surrogates, and leaves other text alone', () => {
    expect(escapeControlChars('a\nb\tc\u0000\u007f\u0085\u2028')).toBe('a\\nb\\tc\\x00\\x7f\\x85\\u2028');
    expect(escapeControlChars('bad-\udcff\udcfe\ud800.txt')).toBe('bad-\\xff\\xfe\\u{d800}.txt');
    expect(escapeControlChars('ünïcode 😀 ok')).toBe('ünïcode 😀 ok');
  });
});

describe('the step summary and the HTML report escape the same text alike', () => {
  const record = {
    project: 'a|b<i>',
    target: 'docker-build',
    image: 'x',
    tags: [],
    hash: 'h',
    hashTag: 'nxb-1',
    status: 'built' as const,
    durationMs: 1,
    reason: 'src/x|<b>y</b>\r.txt changed',
    finishedAt: '2026-12-01T00:00:00Z',
  };

  it('neither lets a name or reason become markup', () => {
    const markdown = formatStepSummary([{ record }], 1);
    const row = markdown.split('\n').find((line) => line.startsWith('| a'));
    expect(row).toBe('| a\\|b&lt;i&gt; | built | 0.0s | - | - | src/x\\|&lt;b&gt;y&lt;/b&gt; .txt changed |');
    expect(markdown).not.toContain('\r');
    const html = renderRunReport([{ record, startedAt: 0, endedAt: 1 }], new Date(0));
    expect(html).toContain('a|b&lt;i&gt;');
    expect(html).not.toContain('<b>y</b>');
  });
});
