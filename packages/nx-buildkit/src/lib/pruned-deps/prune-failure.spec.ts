import { describePruneFailure } from './prune-failure';

/**
 * What Nx 24.0.6 prints when it cannot prune an npm lockfile, and then returns the whole root lockfile (measured: app a
 * needs is-number@6.0.0 under node_modules/is-odd while app b's is-number@6.0.0 is nested under apps/b).
 */
const NX_FALLBACK_OUTPUT = `
\u001b[1m\u001b[31m NX \u001b[39m\u001b[22m  \u001b[31mAn error occurred while creating pruned lockfile\u001b[39m

Please open an issue at \`https://github.com/nrwl/nx/issues/new?template=1-bug.yml\` and provide a reproduction.
To prevent the build from breaking we are returning the root lock file.
If you run \`npm install --package-lock-only\` in your output folder it will regenerate the correct pruned lockfile.

Original error: Following packages could not be mapped to the NPM lockfile:
- npm:is-number@6.0.0


Error: Following packages could not be mapped to the NPM lockfile:
- npm:is-number@6.0.0
    at nestMappedPackages (/ws/node_modules/nx/dist/src/plugins/js/lock-file/npm-parser.js:461:15)
    at createLockFile (/ws/node_modules/nx/dist/src/plugins/js/lock-file/lock-file.js:230:29)
`;

describe('describePruneFailure', () => {
  it("keeps Nx's reason, naming the package, from its fallback error block", () => {
    expect(describePruneFailure(NX_FALLBACK_OUTPUT)).toBe('Following packages could not be mapped to the NPM lockfile: - npm:is-number@6.0.0');
  });

  it('is undefined when Nx reported no failed prune (a warning is not one)', () => {
    expect(describePruneFailure('')).toBeUndefined();
    expect(describePruneFailure(' NX   Package Manager Mismatch\n')).toBeUndefined();
  });
});
