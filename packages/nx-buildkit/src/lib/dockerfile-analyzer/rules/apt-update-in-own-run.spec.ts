import { parseDockerfile } from '../../dockerfile';
import { aptUpdateInOwnRun } from './apt-update-in-own-run';

const check = (text: string) => aptUpdateInOwnRun.check({ dockerfile: parseDockerfile(text) });

describe('apt/update-in-own-run', () => {
  it('reports apt-get update alone, and apt update', () => {
    expect(check('FROM debian\nRUN apt-get update\nRUN apt-get install -y curl\nRUN apt update -q\n').map((hit) => hit.line)).toEqual([1, 3]);
  });

  it('explains the stale-lists failure and the fix', () => {
    const [hit] = check('FROM debian\nRUN apt-get update\n');
    expect(hit.message).toContain('outdated package lists');
    expect(hit.fix).toContain('apt-get update && apt-get install');
  });

  it.each([
    ['set -eux', 'FROM debian\nRUN set -eux && apt-get update\n'],
    ['echo, true and export', 'FROM debian\nRUN export DEBIAN_FRONTEND=noninteractive && echo updating && apt-get update || true\n'],
    ['a here-document that only updates', 'FROM debian\nRUN <<EOF\nset -e\napt-get update\nEOF\n'],
  ])('still reports an update next to commands that cannot use the lists: %s', (_name, text) => {
    expect(check(text)).toHaveLength(1);
  });

  it.each([
    ['update and install together', 'FROM debian\nRUN apt-get update && apt-get install -y curl\n'],
    ['update and upgrade together', 'FROM debian\nRUN apt-get update && apt-get -y upgrade\n'],
    ['a here-document that installs', 'FROM debian\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n'],
    ['no update at all', 'FROM debian\nRUN apt-get install -y curl\n'],
    // linkwarden-linkwarden, line 79: Playwright installs Chromium's shared libraries with apt-get itself.
    [
      'a tool that installs apt packages itself (playwright install --with-deps)',
      'FROM node:22.23-bullseye-slim\nRUN set -eux && \\\n    export PATH=/data/node_modules/.bin:$PATH && \\\n    apt-get update && \\\n    playwright install --with-deps chromium-headless-shell && \\\n    apt-get clean && \\\n    rm -rf /var/lib/apt/lists/*\n',
    ],
    ['a script that may install with apt', 'FROM debian\nRUN apt-get update && ./scripts/install-deps.sh\n'],
  ])('does not report %s', (_name, text) => {
    expect(check(text)).toEqual([]);
  });
});
