import { batchConcurrency, parallelFromArgs } from './batch-concurrency';

describe('parallelFromArgs', () => {
  it.each([
    [['node', 'nx', 'run-many', '-t', 'docker-build', '--parallel=5'], 5],
    [['nx', 'affected', '--parallel', '2', '-t', 'docker-build'], 2],
    [['nx', 'run-many', '--parallel', '--maxParallel=6'], 6],
    [['nx', 'run-many', '--parallel', '-t', 'docker-build'], 3],
    [['nx', 'run-many', '--parallel=false'], 1],
    [['nx', 'run-many', '--no-parallel'], 1],
    [['nx', 'run-many', '--max-parallel=4'], 4],
    [['nx', 'run-many', '-t', 'docker-build'], undefined],
  ])('%j → %s', (args, expected) => {
    expect(parallelFromArgs(args)).toBe(expected);
  });
});

describe('batchConcurrency', () => {
  it('takes the command line first, then NX_PARALLEL, then nx.json, then Nx’s default of 3', () => {
    expect(batchConcurrency({ nxArgs: ['--parallel=5'], env: { NX_PARALLEL: '2' }, nxJsonParallel: 4 })).toBe(5);
    expect(batchConcurrency({ nxArgs: [], env: { NX_PARALLEL: '2' }, nxJsonParallel: 4 })).toBe(2);
    expect(batchConcurrency({ nxArgs: [], env: {}, nxJsonParallel: 4 })).toBe(4);
    expect(batchConcurrency({ nxArgs: [], env: {} })).toBe(3);
    expect(batchConcurrency({ nxArgs: [], env: { NX_PARALLEL: 'lots' } })).toBe(3);
  });
});
