import { PodmanBuildLog } from './build-log';

/** What podman 4.3.1 printed for a two-stage build whose first stage was cached (trimmed to the shape that matters). */
const CACHED_THEN_BUILT = [
  '[1/2] STEP 1/3: FROM debian:bookworm-slim AS base',
  '[1/2] STEP 2/3: ARG GREETING=hi',
  '--> Using cache 8cf684c8c7d0676c9fbb808fb7aa86ef1ad07fb4177ced90a6324f11ff4dc61a',
  '--> 8cf684c8c7d',
  '[1/2] STEP 3/3: RUN --mount=type=cache,target=/var/cache/x echo "$GREETING" > /greeting',
  '--> Using cache 2d483234ba9b6a6856b6b0d7e03e573ee05af2d34a74d5ba67bb04f1cd15d782',
  '--> 2d483234ba9',
  '[2/2] STEP 1/3: FROM 2d483234ba9b6a6856b6b0d7e03e573ee05af2d34a74d5ba67bb04f1cd15d782 AS final',
  '[2/2] STEP 2/3: RUN echo built && echo twice',
  'built',
  'twice',
  '--> 3482eb7cf41',
  '[2/2] STEP 3/3: CMD ["cat","/greeting"]',
  '[2/2] COMMIT localhost/pt:1',
  '--> bd74c40cbbe',
  'Successfully tagged localhost/pt:1',
  'bd74c40cbbed3a12661f9fc993ad70dc4a3308caea02273bb47fb3f5eca04f4d',
  '',
].join('\n');

describe('PodmanBuildLog', () => {
  it('reports each file-system step once, cached or done, with its RUN output, and counts them', () => {
    const log = new PodmanBuildLog();
    // Split mid-line: chunks arrive at any byte.
    const events = [...log.push(CACHED_THEN_BUILT.slice(0, 100)), ...log.push(CACHED_THEN_BUILT.slice(100))];
    expect(events).toEqual([
      { kind: 'step-cached', name: '[3/3] RUN --mount=type=cache,target=/var/cache/x echo "$GREETING" > /greeting' },
      { kind: 'log', name: '[2/3] RUN echo built && echo twice', text: 'built' },
      { kind: 'log', name: '[2/3] RUN echo built && echo twice', text: 'twice' },
      { kind: 'step-done', name: '[2/3] RUN echo built && echo twice' },
    ]);
    expect(log.stepCounts()).toEqual({ total: 2, cached: 1 });
    expect(log.failedStep()).toBeUndefined();
  });

  it('names the step that failed, its last output and podman\'s error line', () => {
    const log = new PodmanBuildLog();
    log.push('STEP 1/2: FROM debian:bookworm-slim\nSTEP 2/2: RUN echo about to fail && false\nabout to fail\n');
    log.pushError('time="x" level=warning msg="something"\nError: building at STEP "RUN echo about to fail && false": while running runtime: exit status 1\n');
    expect(log.failedStep()).toEqual({ name: '[2/2] RUN echo about to fail && false', logTail: 'about to fail' });
    expect(log.errorText()).toBe('Error: building at STEP "RUN echo about to fail && false": while running runtime: exit status 1');
    expect(log.stepCounts()).toEqual({ total: 1, cached: 0 });
  });
});
