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
  if (/Multi-platform build is not supported for the docker driver/.test(buildxText)) {
    // buildx 0.13 on an engine with the classic image store, which keeps one platform's image per name.
    return (
      `Several "platforms" need a builder that keeps multi-platform images, and this engine's docker driver uses the classic image store. ` +
      `Turn on the containerd image store ({"features":{"containerd-snapshotter":true}} in /etc/docker/daemon.json, then restart dockerd; Docker Desktop: "Use containerd for pulling and storing images"), ` +
      `or create a builder that can: docker buildx create --name multi --driver docker-container, then set "builder" to "multi". Foreign platforms also need QEMU registered (docker/setup-qemu-action in GitHub Actions).`
    );
  }
  return undefined;
}

/**
 * What a failed step means when the kernel could not run its program: an `exec format error` in a build for named
 * platforms is a RUN of another architecture with no emulator registered for it.
 */
export function explainForeignPlatformFailure(stepError: string, platforms: readonly string[]): string | undefined {
  if (platforms.length === 0 || !/exec format error/i.test(stepError)) return undefined;
  return (
    `A RUN step of another architecture could not run on this machine: no emulator is registered for it (binfmt_misc). ` +
    `Register QEMU (docker run --privileged --rm tonistiigi/binfmt --install all; in GitHub Actions docker/setup-qemu-action; on Debian the qemu-user-static package), ` +
    `or build each platform on a runner of its own architecture and merge them by digest (see the README's multi-platform recipe).`
  );
}
