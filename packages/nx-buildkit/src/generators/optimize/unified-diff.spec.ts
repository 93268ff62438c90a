import { unifiedDiff } from './unified-diff';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\n', 'a\n', 'Dockerfile')).toBe('');
  });

  it('prints hunks as diff -u does: removals before additions, 3 lines of context', () => {
    const before = ['FROM x', 'WORKDIR /app', 'COPY . .', 'RUN npm ci', 'CMD ["node"]', ''].join('\n');
    const after = ['FROM x', 'WORKDIR /app', 'COPY package.json ./', 'RUN npm ci', 'COPY . .', 'CMD ["node"]', ''].join('\n');
    expect(unifiedDiff(before, after, 'apps/api/Dockerfile')).toBe(
      ['--- a/apps/api/Dockerfile', '+++ b/apps/api/Dockerfile', '@@ -1,5 +1,6 @@', ' FROM x', ' WORKDIR /app', '-COPY . .', '+COPY package.json ./', ' RUN npm ci', '+COPY . .', ' CMD ["node"]', ''].join('\n'),
    );
  });

  it('splits distant changes into separate hunks with correct line numbers', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const after = [...before];
    after[1] = 'changed 2';
    after.splice(15, 1);
    const diff = unifiedDiff(`${before.join('\n')}\n`, `${after.join('\n')}\n`, 'f');
    expect(diff.split('\n').filter((line) => line.startsWith('@@'))).toEqual(['@@ -1,5 +1,5 @@', '@@ -13,7 +13,6 @@']);
    expect(diff).toContain('-line 16\n');
  });
});
