import { once } from './once';

describe('once', () => {
  it('computes on the first call only, and keeps undefined as a value', () => {
    let calls = 0;
    const value = once(() => {
      calls++;
      return undefined;
    });
    expect(value()).toBeUndefined();
    expect(value()).toBeUndefined();
    expect(calls).toBe(1);
  });

  it('throws again on the next call when the first one threw, and keeps the first value that came', () => {
    let calls = 0;
    const value = once(() => {
      calls++;
      if (calls === 1) throw new Error('not yet');
      return calls;
    });
    expect(() => value()).toThrow('not yet');
    expect(value()).toBe(2);
    expect(value()).toBe(2);
  });
});
