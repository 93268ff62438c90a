import { splitReference } from '../../image-ref';
import { DockerfileRule, RuleHit } from '../rule';

export const unpinnedBaseImage: DockerfileRule = {
  id: 'base-image/unpinned-tag',
  severity: 'warning',
  description: 'A stage starts FROM an image without a tag or with :latest: the base changes under the build, and its cache with it.',
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const stage of dockerfile.stages) {
      if (stage.baseStage !== undefined || stage.baseUnresolved || stage.base === '' || stage.base.toLowerCase() === 'scratch') continue;
      if (stage.base.includes('@')) continue;
      const { repository, tag } = splitReference(stage.base);
      if (tag !== undefined && tag !== 'latest') continue;
      hits.push({
        line: stage.from.startLine,
        message: `FROM ${stage.base} ${tag ? 'uses the moving "latest" tag' : 'has no tag, which means "latest"'}: a new upstream release changes the image and invalidates every cached layer.`,
        fix: `Pin a version, e.g. FROM ${repository}:<major>-<distro> (or a digest with @sha256:…).`,
      });
    }
    return hits;
  },
};
