import { collisionMessage, findTargetCollisions, reportTargetCollisions } from './target-collisions';

describe('findTargetCollisions', () => {
  it("finds projects whose own target (executor, command or package.json script) replaces an inferred one", () => {
    const found = findTargetCollisions([
      { project: 'core-api', inferred: ['docker-build', 'docker-lint'], targets: { 'docker-build': { executor: 'nx:run-commands', options: { command: 'docker build .' } } } },
      { project: 'gateway', inferred: ['docker-build'], targets: { 'docker-build': { command: 'docker build .' } } },
      { project: 'web', inferred: ['docker-build'], scripts: { 'docker-build': 'docker build .' } },
      // Configuring the inferred target (options only, or our own executor) is not a collision.
      { project: 'tuned', inferred: ['docker-build'], targets: { 'docker-build': { options: { push: true } } } },
      { project: 'explicit', inferred: ['docker-build'], targets: { 'docker-build': { executor: 'nx-buildkit:build' } } },
      { project: 'other', inferred: ['docker-build'], targets: { build: { executor: 'nx:run-commands' } } },
    ]);
    expect(Object.fromEntries(found)).toEqual({ 'docker-build': ['core-api', 'gateway', 'web'] });
  });
});

describe('reportTargetCollisions', () => {
  it('warns once per process, in one line naming the projects and the option', () => {
    const warn = jest.fn();
    const collisions = new Map([['docker-build', ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7']]]);
    reportTargetCollisions(collisions, warn);
    reportTargetCollisions(collisions, warn);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toBe(collisionMessage('docker-build', ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7']));
    expect(warn.mock.calls[0][0]).toContain('7 projects define their own "docker-build" target');
    expect(warn.mock.calls[0][0]).toContain('(p1, p2, p3, p4, p5 and 2 more)');
    expect(warn.mock.calls[0][0]).toContain('"targetName": "docker:build"');
  });
});

describe('a project with its own nx-release-publish', () => {
  it('is a collision unless it runs nx-buildkit:release-publish, and the message says what to do instead of renaming', () => {
    const found = findTargetCollisions([
      { project: 'lib-with-image', inferred: ['nx-release-publish'], targets: { 'nx-release-publish': { executor: '@nx/js:release-publish' } } },
      { project: 'tuned', inferred: ['nx-release-publish'], targets: { 'nx-release-publish': { executor: 'nx-buildkit:release-publish', options: { extraTags: ['latest'] } } } },
    ]);
    expect(Object.fromEntries(found)).toEqual({ 'nx-release-publish': ['lib-with-image'] });
    expect(collisionMessage('nx-release-publish', ['lib-with-image'])).toBe(
      'nx-buildkit: 1 project defines its own "nx-release-publish" target, so nx release publishes it that way and does not tag its image (lib-with-image). Remove that target to release the image, or set { "plugin": "nx-buildkit", "options": { "release": false } } in nx.json.',
    );
  });
});
