import { parseDockerfile } from '../../dockerfile';
import { syntaxDirective } from './syntax-directive';

const check = (text: string) => syntaxDirective.check({ dockerfile: parseDockerfile(text) });

describe('syntax/directive-pulls-image', () => {
  it('reports a # syntax= line', () => {
    const [hit] = check('# syntax=docker/dockerfile:1.7\nFROM x\n');
    expect(hit.line).toBe(0);
    expect(hit.message).toContain('pull docker/dockerfile:1.7');
    expect(hit.fix).toContain('Remove the line');
  });

  it.each([
    ['no directive', 'FROM x\n'],
    ['an escape directive', '# escape=`\nFROM x\n'],
    ['a comment after the first instruction (not a directive)', 'FROM x\n# syntax=docker/dockerfile:1\n'],
  ])('does not report %s', (_name, text) => {
    expect(check(text)).toEqual([]);
  });
});
