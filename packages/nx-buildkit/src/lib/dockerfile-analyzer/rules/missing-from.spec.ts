import { parseDockerfile } from '../../dockerfile';
import { missingFrom } from './missing-from';

const check = (text: string) => missingFrom.check({ dockerfile: parseDockerfile(text) });

describe('dockerfile/no-from', () => {
  it('reports a file without FROM at its first instruction that is not ARG', () => {
    expect(check('ARG A=1\nRUN true\n')).toEqual([expect.objectContaining({ line: 1 })]);
    expect(check('')).toEqual([expect.objectContaining({ line: 0 })]);
  });

  it('does not report a file with FROM', () => {
    expect(check('ARG A=1\nFROM x\n')).toEqual([]);
  });
});
