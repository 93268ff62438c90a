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
    ['update and install together', 'FROM debian\nRUN apt-get update && apt-get install -y curl\n'],
    ['update and upgrade together', 'FROM debian\nRUN apt-get update && apt-get -y upgrade\n'],
    ['a here-document that installs', 'FROM debian\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n'],
    ['no update at all', 'FROM debian\nRUN apt-get install -y curl\n'],
  ])('does not report %s', (_name, text) => {
    expect(check(text)).toEqual([]);
  });
});
