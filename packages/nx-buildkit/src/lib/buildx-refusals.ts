/**
 * What buildx says when it refuses a build before it starts, in words that name our option and the fix. buildx
 * refuses `--builder <name>` for the docker driver of another docker context ("use `docker --context=<name> buildx`
 * to switch to context <name>"): that driver builds only on the engine the whole CLI talks to.
 */
export function explainBuildxRefusal(buildxText: string): string | undefined {
  const otherContext = /use `docker --context=(\S+) buildx` to switch to context/.exec(buildxText);
  if (otherContext) {
    const name = otherContext[1];
    return (
      `The builder "${name}" is the docker driver of the docker context "${name}", which buildx uses only when the whole CLI talks to that engine. ` +
      `Run with DOCKER_CONTEXT=${name} (or DOCKER_HOST set to its engine) instead of the "builder" option, or create a builder that can build remotely: ` +
      `docker buildx create --name ci --driver docker-container ${name} (or --driver remote tcp://<buildkitd>), then set "builder" to "ci".`
    );
  }
  return undefined;
}
