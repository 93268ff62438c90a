import { describeRead, findMissingSources } from '../../context';
import { listContextReads } from '../../dockerfile';
import { isSent } from '../build-context';
import { DockerfileRule } from '../rule';

export const copySourceMissing: DockerfileRule = {
  id: 'context/copy-source-missing',
  severity: 'error',
  description: 'A COPY/ADD (or bind mount) names a path that exists nowhere in the build context and that no target of the workspace writes: the build fails with "not found".',
  check({ dockerfile, context }) {
    if (!context || context.ignoreError) return [];
    // A path the ignore file excludes is context/copy-ignored-path's finding, with the pattern that excludes it.
    const present = (path: string) => context.files.exists(path) || !isSent(context, path);
    return findMissingSources(listContextReads(dockerfile), present, context.producedPaths).missing.map((read) => ({
      line: read.line,
      message: `${describeRead(read)}: ${read.path} matches nothing in the build context, so building this stage fails with "not found" (and no change to it can select the image in nx affected).`,
      fix: `Correct the path, or make ${read.path} before the build in a target the image's build depends on (with ${read.path} in its outputs); if a script makes it in CI, run that script before docker-lint too.`,
    }));
  },
};
