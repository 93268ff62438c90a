import { runWithDependencies, topologicalOrder } from './batch-schedule';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runWithDependencies', () => {
  it('never runs more than the bound at once and runs everything', async () => {
    let running = 0;
    let peak = 0;
    const results = await runWithDependencies(['a', 'b', 'c', 'd', 'e'], {}, 2, async (id) => {
      running++;
      peak = Math.max(peak, running);
      await delay(10);
      running--;
      return { ok: true, value: `done ${id}` };
    }, () => 'blocked');
    expect(peak).toBe(2);
    expect([...results.keys()].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('starts a task only after its dependencies succeeded', async () => {
    const order: string[] = [];
    await runWithDependencies(['child', 'base'], { child: ['base'] }, 4, async (id) => {
      order.push(`start ${id}`);
      await delay(5);
      order.push(`end ${id}`);
      return { ok: true, value: id };
    }, () => 'blocked');
    expect(order).toEqual(['start base', 'end base', 'start child', 'end child']);
  });

  it('does not run the dependents of a failed task, and still runs the others', async () => {
    const ran: string[] = [];
    const results = await runWithDependencies(
      ['base', 'child', 'grandchild', 'other'],
      { child: ['base'], grandchild: ['child'] },
      2,
      async (id) => {
        ran.push(id);
        return { ok: id !== 'base', value: id === 'base' ? 'failed' : 'ok' };
      },
      (id, failed) => `blocked by ${failed}`,
    );
    expect(ran.sort()).toEqual(['base', 'other']);
    expect(results.get('child')).toBe('blocked by base');
    expect(results.get('grandchild')).toBe('blocked by child');
    expect(results.get('other')).toBe('ok');
  });

  it('ignores dependencies outside the batch (Nx already ran them)', async () => {
    const results = await runWithDependencies(['a'], { a: ['built-earlier'] }, 1, async () => ({ ok: true, value: 'ran' }), () => 'blocked');
    expect(results.get('a')).toBe('ran');
  });

  it('rejects a dependency cycle instead of hanging', async () => {
    await expect(runWithDependencies(['a', 'b'], { a: ['b'], b: ['a'] }, 2, async () => ({ ok: true, value: 1 }), () => 0)).rejects.toThrow(/cycle/);
  });
});

describe('topologicalOrder', () => {
  it('puts dependencies first', () => {
    expect(topologicalOrder(['app', 'lib', 'base'], { app: ['lib'], lib: ['base'] })).toEqual(['base', 'lib', 'app']);
  });
});
