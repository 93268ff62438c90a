import { compareCodeUnits } from './compare-text';

describe('compareCodeUnits', () => {
  it('orders by code units, upper case before lower case, whatever the locale', () => {
    expect(['web:docker-build', 'api:docker-build', 'Api:docker-build', 'api:docker-build'].sort(compareCodeUnits)).toEqual([
      'Api:docker-build',
      'api:docker-build',
      'api:docker-build',
      'web:docker-build',
    ]);
    expect(compareCodeUnits('a', 'a')).toBe(0);
    expect(compareCodeUnits('a', 'b')).toBe(-1);
    expect(compareCodeUnits('b', 'a')).toBe(1);
  });
});
