/** The label that carries an image's full inputs hash. */
export const INPUTS_HASH_LABEL = 'org.nx-buildkit.inputs-hash';

export interface BuildxBuildArgsInput {
  readonly dockerfile: string;
  readonly context: string;
  readonly tags: readonly string[];
  readonly inputsHash: string;
  readonly metadataFile: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly target?: string;
  readonly platforms: readonly string[];
  readonly secrets: readonly string[];
  readonly ssh: readonly string[];
  readonly cacheFrom: readonly string[];
  readonly cacheTo: readonly string[];
  readonly builder?: string;
  readonly push: boolean;
  readonly load: boolean;
  readonly pull: boolean;
  readonly noCache: boolean;
  /** Named build contexts by name (`--build-context name=dir`), read by `COPY --from=name`. */
  readonly buildContexts?: Readonly<Record<string, string>>;
}

/**
 * The argument vector of `docker buildx build`. Progress is always rawjson: the executor reads step results from it
 * and renders its own lines. The hash tag is among the tags only with push (BuildKit pushes names only after the build
 * succeeded); otherwise it is applied to the local image once the build has succeeded.
 */
export function buildxBuildArgs(input: BuildxBuildArgsInput): string[] {
  const args = ['buildx', 'build'];
  if (input.builder) args.push('--builder', input.builder);
  args.push('--file', input.dockerfile, '--progress', 'rawjson', '--metadata-file', input.metadataFile);
  for (const tag of input.tags) args.push('--tag', tag);
  for (const name of Object.keys(input.buildArgs).sort()) args.push('--build-arg', `${name}=${input.buildArgs[name]}`);
  for (const name of Object.keys(input.labels).sort()) args.push('--label', `${name}=${input.labels[name]}`);
  args.push('--label', `${INPUTS_HASH_LABEL}=${input.inputsHash}`);
  if (input.target) args.push('--target', input.target);
  if (input.platforms.length) args.push('--platform', input.platforms.join(','));
  for (const secret of input.secrets) args.push('--secret', secret);
  for (const ssh of input.ssh) args.push('--ssh', ssh);
  for (const from of input.cacheFrom) args.push('--cache-from', from);
  for (const to of input.cacheTo) args.push('--cache-to', to);
  if (input.pull) args.push('--pull');
  if (input.noCache) args.push('--no-cache');
  if (input.push) args.push('--push');
  if (input.load) args.push('--load');
  for (const name of Object.keys(input.buildContexts ?? {}).sort()) args.push('--build-context', `${name}=${input.buildContexts?.[name]}`);
  args.push(input.context);
  return args;
}
