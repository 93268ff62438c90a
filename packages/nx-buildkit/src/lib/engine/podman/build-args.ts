import { INPUTS_HASH_LABEL } from '../buildx-args';

export interface PodmanBuildArgsInput {
  readonly dockerfile: string;
  readonly context: string;
  /** The ignore file the inputs hash read (the Dockerfile's own `<Dockerfile>.dockerignore`, else the context's). */
  readonly ignoreFile?: string;
  /** Every name to apply, the hash tag included: podman applies tags only once every step has succeeded. */
  readonly tags: readonly string[];
  readonly inputsHash: string;
  readonly iidFile: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly target?: string;
  /** At most one: several need a manifest list (see podman/limits.ts). */
  readonly platforms: readonly string[];
  /** Already in the form both buildx and podman take: `id=npm,env=NPM_TOKEN`, `id=npm,src=.npmrc`. */
  readonly secrets: readonly string[];
  readonly ssh: readonly string[];
  readonly pull: boolean;
  readonly noCache: boolean;
  /** Named build contexts by name (`--build-context name=dir`, podman 4.3 has it), read by `COPY --from=name`. */
  readonly buildContexts?: Readonly<Record<string, string>>;
}

/**
 * The argument vector of `podman build` (podman 4.3 / buildah 1.28, Debian bookworm). `--format docker`: podman's
 * default OCI format drops HEALTHCHECK, SHELL and STOPSIGNAL with a warning, and the generated Dockerfiles rely on
 * HEALTHCHECK; Docker's format keeps them, as a Docker-built image has them. `--ignorefile`: the ignore file the inputs
 * hash read, named rather than left for buildah to find, so that the build sends exactly what was hashed.
 * `--pull=always` only with `pull` (podman's own default pulls a base that is missing, as BuildKit does).
 */
export function podmanBuildArgs(input: PodmanBuildArgsInput): string[] {
  const args = ['build', '--file', input.dockerfile, '--format', 'docker', '--iidfile', input.iidFile];
  if (input.ignoreFile) args.push('--ignorefile', input.ignoreFile);
  for (const tag of input.tags) args.push('--tag', tag);
  for (const name of Object.keys(input.buildArgs).sort()) args.push('--build-arg', `${name}=${input.buildArgs[name]}`);
  for (const name of Object.keys(input.labels).sort()) args.push('--label', `${name}=${input.labels[name]}`);
  args.push('--label', `${INPUTS_HASH_LABEL}=${input.inputsHash}`);
  if (input.target) args.push('--target', input.target);
  if (input.platforms.length) args.push('--platform', input.platforms.join(','));
  for (const secret of input.secrets) args.push('--secret', secret);
  for (const ssh of input.ssh) args.push('--ssh', ssh);
  if (input.pull) args.push('--pull=always');
  if (input.noCache) args.push('--no-cache');
  for (const name of Object.keys(input.buildContexts ?? {}).sort()) args.push('--build-context', `${name}=${input.buildContexts?.[name]}`);
  args.push(input.context);
  return args;
}

/** A registry on this machine: Docker speaks plain HTTP to it unasked, podman only when told (`--tls-verify=false`). */
const LOOPBACK_REGISTRY = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//;

/**
 * `podman push` (or pull) of one reference. Docker trusts a registry on the loopback as insecure by default; podman
 * refuses it ("http: server gave HTTP response to HTTPS client", seen with docker-registry on 127.0.0.1) unless
 * registries.conf says `insecure = true`. A loopback registry gets `--tls-verify=false`, as Docker treats it; any
 * other registry is verified as podman's configuration says. `--digestfile`: the manifest digest the registry holds.
 */
export function podmanTransferArgs(command: 'push' | 'pull', ref: string, digestFile?: string): string[] {
  const args = [command, '--quiet'];
  if (LOOPBACK_REGISTRY.test(ref)) args.push('--tls-verify=false');
  if (digestFile) args.push('--digestfile', digestFile);
  args.push(ref);
  return args;
}
