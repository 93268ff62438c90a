import { closestName, editDistance } from './closest-name';

describe('editDistance', () => {
  it.each([
    ['registry', 'registry', 0],
    ['registy', 'registry', 1],
    ['tag', 'tags', 1],
    ['nocache', 'noCache', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('%s → %s: %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});

describe('closestName', () => {
  const options = ['dockerfile', 'context', 'registry', 'tags', 'push', 'noCache', 'buildArgs'];

  it('suggests the option meant by a typo, case-insensitively', () => {
    expect(closestName('registy', options)).toBe('registry');
    expect(closestName('tag', options)).toBe('tags');
    expect(closestName('nocache', options)).toBe('noCache');
    expect(closestName('buildargs', options)).toBe('buildArgs');
  });

  it('suggests nothing when no option is close', () => {
    expect(closestName('interactive', options)).toBeUndefined();
    expect(closestName('x', ['registry'])).toBeUndefined();
  });
});
