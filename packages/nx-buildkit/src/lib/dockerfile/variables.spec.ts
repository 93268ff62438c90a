import { parseArgDeclarations, resolveVariables, substituteArgs } from './variables';

describe('substituteArgs', () => {
  const vars = { NAME: 'node', EMPTY: '', TAG: '20' };

  it.each([
    ['$NAME:$TAG', 'node:20'],
    ['${NAME}:${TAG}-slim', 'node:20-slim'],
    ['$NAME_x', ''], // the longest name is taken: NAME_x is unset
    ['${NAME}_x', 'node_x'],
    ['${MISSING}', ''],
    ['${MISSING:-alpine}', 'alpine'],
    ['${EMPTY:-alpine}', 'alpine'],
    ['${NAME:-alpine}', 'node'],
    ['${NAME:+set}', 'set'],
    ['${EMPTY:+set}', ''],
    ['${MISSING:+set}', ''],
    ['no variables', 'no variables'],
    ['$1 and $', '$1 and $'],
  ])('%s → %j', (text, expected) => {
    expect(substituteArgs(text, vars)).toBe(expected);
  });
});

describe('resolveVariables', () => {
  it('substitutes known values and is undefined when a variable has no known value', () => {
    expect(resolveVariables('$APP/src', { APP: 'apps/api' })).toBe('apps/api/src');
    expect(resolveVariables('$APP/src', { APP: undefined })).toBeUndefined();
    expect(resolveVariables('$NOT_DECLARED/src', {})).toBeUndefined();
    expect(resolveVariables('${APP:-apps/web}/src', {})).toBe('apps/web/src');
  });
});

describe('parseArgDeclarations', () => {
  it('reads several declarations on one line, with and without values, quotes removed', () => {
    expect(parseArgDeclarations('APP=apps/api LIB="libs/shared" EMPTY= NOVALUE')).toEqual([
      { name: 'APP', value: 'apps/api' },
      { name: 'LIB', value: 'libs/shared' },
      { name: 'EMPTY', value: '' },
      { name: 'NOVALUE', value: undefined },
    ]);
  });
});
