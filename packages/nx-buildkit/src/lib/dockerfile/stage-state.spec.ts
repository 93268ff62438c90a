import { parseDockerfile } from './model';
import { BASE_WORKDIR, finalState, resolveInImage, walkStage } from './stage-state';
import { resolveVariables } from './variables';

describe('walkStage', () => {
  it('tracks WORKDIR (absolute and relative), USER and ENV before each instruction', () => {
    const parsed = parseDockerfile('FROM x\nWORKDIR /app\nWORKDIR src\nENV HOME=/home/a\nUSER a\nRUN true\n');
    const steps = walkStage(parsed, 0);
    expect(steps.map((step) => step.before.workdir)).toEqual(['', '/app', '/app/src', '/app/src', '/app/src']);
    expect(steps[4].before).toMatchObject({ user: 'a', vars: { HOME: '/home/a' }, envNames: ['HOME'] });
  });

  it('inherits ENV, WORKDIR and USER from the stage it starts FROM, but not ARG', () => {
    const parsed = parseDockerfile('FROM x AS base\nARG A=1\nENV B=2\nWORKDIR /w\nUSER u\nFROM base\nRUN true\n');
    const [step] = walkStage(parsed, 1);
    expect(step.before).toMatchObject({ workdir: '/w', user: 'u', vars: { B: '2' } });
    expect(step.before.vars).not.toHaveProperty('A');
  });

  it('gives an ARG without default the global default, and an unknown WORKDIR variable an unknown workdir', () => {
    const parsed = parseDockerfile('ARG DIR=/srv\nFROM x\nARG DIR\nWORKDIR $DIR\nWORKDIR $NOPE\nRUN true\n');
    expect(walkStage(parsed, 0).map((step) => step.before.workdir)).toEqual(['', '', '/srv', undefined]);
    expect(finalState(parsed, 0).workdir).toBeUndefined();
  });
});

describe('resolveVariables', () => {
  it('substitutes known values and refuses unknown ones', () => {
    expect(resolveVariables('$A/${B}/${C:-c}', { A: 'a', B: 'b' })).toBe('a/b/c');
    expect(resolveVariables('$A/$Z', { A: 'a' })).toBeUndefined();
  });
});

describe('resolveInImage', () => {
  it('joins relative paths to the working directory', () => {
    expect(resolveInImage('.', '/app')).toBe('/app');
    expect(resolveInImage('./src/', '/app')).toBe('/app/src');
    expect(resolveInImage('/opt/x', '/app')).toBe('/opt/x');
    // Without WORKDIR, relative paths share the base image's (unknown) working directory.
    expect(resolveInImage('.', '')).toBe(BASE_WORKDIR);
    expect(resolveInImage('src', 'app')).toBe(`${BASE_WORKDIR}/app/src`);
  });
});
