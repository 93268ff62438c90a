import { parseDockerfile, ParsedDockerfile } from '../dockerfile';
import { PRUNED_DEPS_CONTEXT } from './layout';

/**
 * Whether a Dockerfile installs from the pruned-dependencies named context: a `COPY --from=deps` (or a RUN mount
 * from it) where no stage is named `deps` (BuildKit would then read the stage, and would otherwise pull an image
 * called `deps`). The Dockerfile says it, so a target needs no option for it, and inference and the executor agree.
 */
export function readsPrunedDepsContext(dockerfile: string | ParsedDockerfile): boolean {
  const model = typeof dockerfile === 'string' ? parseDockerfile(dockerfile) : dockerfile;
  if (model.stages.some((stage) => stage.name?.toLowerCase() === PRUNED_DEPS_CONTEXT)) return false;
  return model.instructions.some((instruction) =>
    instruction.flags.some(
      (flag) =>
        ((flag.name === 'from' && (instruction.keyword === 'COPY' || instruction.keyword === 'ADD')) && flag.value === PRUNED_DEPS_CONTEXT) ||
        (flag.name === 'mount' && flag.options.from === PRUNED_DEPS_CONTEXT),
    ),
  );
}
