import { interruptOnSignals } from './interrupt-on-signals';

describe('interruptOnSignals', () => {
  it('aborts on SIGTERM and names it', () => {
    const interrupt = interruptOnSignals();
    try {
      expect(interrupt.signal.aborted).toBe(false);
      expect(interrupt.interruptedBy()).toBeUndefined();
      process.emit('SIGTERM', 'SIGTERM');
      expect(interrupt.signal.aborted).toBe(true);
      expect(interrupt.interruptedBy()).toBe('SIGTERM');
    } finally {
      interrupt.release();
    }
  });

  it('leaves no listener behind once released, and ignores signals after that', () => {
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const interrupt = interruptOnSignals();
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual([before[0] + 1, before[1] + 1]);
    interrupt.release();
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before);
    const other = () => undefined;
    process.on('SIGINT', other);
    try {
      process.emit('SIGINT', 'SIGINT');
    } finally {
      process.off('SIGINT', other);
    }
    expect(interrupt.signal.aborted).toBe(false);
    expect(interrupt.interruptedBy()).toBeUndefined();
  });
});
