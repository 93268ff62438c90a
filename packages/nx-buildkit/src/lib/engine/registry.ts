import { CliOnly, EngineClient, RegistryAnswer } from './client';
import { UserFacingError } from '../errors';
import { parseReference } from '../image/identity/image-ref';
import { platformDigestsOfIndex } from '../platform';
import { RegistryHttpError } from './registry-http';
import { copyManifestToTags } from './registry-manifest-copy';

export type RemoteLookup = { found: true; digest?: string } | { found: false };

/**
 * Looks a reference up in its registry without pulling it: through the engine (GET /distribution, an HTTP round trip)
 * when it can, else `docker buildx imagetools inspect`. "Not found" is an answer; an unreachable registry or rejected
 * credentials are errors, so nothing is recorded as skipped or pushed.
 */
export async function findRemoteImage(engine: EngineClient, ref: string): Promise<RemoteLookup> {
  if (engine.distribution) {
    try {
      return await engine.distribution(ref, registryHostOf(ref));
    } catch (error) {
      if (error instanceof RegistryAnswer) throw new UserFacingError(registryErrorMessage(ref, error.message));
      if (!(error instanceof CliOnly)) throw error;
    }
  }
  const result = await engine.run(['buildx', 'imagetools', 'inspect', '--format', '{{json .Manifest}}', ref]);
  if (result.exitCode === 0) {
    let digest: string | undefined;
    try {
      digest = (JSON.parse(result.stdout) as { digest?: string }).digest;
    } catch {
      digest = undefined;
    }
    return { found: true, digest };
  }
  const message = result.stderr.trim();
  if (/not found|manifest unknown|name unknown|404/i.test(message)) return { found: false };
  throw new UserFacingError(registryErrorMessage(ref, message));
}

/** The tag's manifest digest in its registry (an index digest for a multi-platform image), without pulling. */
export async function findRemoteDigest(engine: EngineClient, ref: string): Promise<string | undefined> {
  const lookup = await findRemoteImage(engine, ref);
  if (!lookup.found) return undefined;
  if (!lookup.digest) throw new UserFacingError(`The registry answered for "${ref}" without a manifest digest.`);
  return lookup.digest;
}

/**
 * Each platform's manifest digest in the index a reference names in its registry (`docker buildx imagetools inspect
 * --raw`, which knows every credential store); undefined when the reference names a single-platform manifest.
 */
export async function findPlatformDigests(engine: EngineClient, ref: string): Promise<Record<string, string> | undefined> {
  const result = await engine.run(['buildx', 'imagetools', 'inspect', '--raw', ref]);
  if (result.exitCode !== 0) throw new UserFacingError(registryErrorMessage(ref, result.stderr.trim()));
  return platformDigestsOfIndex(result.stdout);
}

/** Adds tags in the registry to an image already there, without pulling or pushing layers. */
export async function createRemoteTags(engine: EngineClient, source: string, targets: readonly string[]): Promise<void> {
  if (targets.length === 0) return;
  // Same repository: the manifest copied as it is (with the stored credentials), so every tag has the hash tag's digest.
  let rest: string[];
  try {
    rest = await copyManifestToTags(engine, source, targets);
  } catch (error) {
    if (error instanceof UserFacingError) throw error;
    // An answer too big or too slow: the bound is in the message.
    if (error instanceof RegistryHttpError) throw new UserFacingError(`The registry "${registryHostOf(source)}" misbehaved while tagging "${source}": ${error.message}. Check the registry, then rerun.`);
    throw new UserFacingError(registryErrorMessage(source, (error as Error).message));
  }
  if (rest.length === 0) return;
  const result = await engine.run(imagetoolsCreateArgs(source, rest));
  if (result.exitCode !== 0) throw new UserFacingError(registryErrorMessage(source, result.stderr.trim()));
}

/** `docker buildx imagetools create --tag <target>… <source>`: one index under every target, made from the source. */
export function imagetoolsCreateArgs(source: string, targets: readonly string[]): string[] {
  return ['buildx', 'imagetools', 'create', ...targets.flatMap((target) => ['--tag', target]), source];
}

/** `localhost:5000` for `localhost:5000/api:1`, `docker.io` for `python:3.11`. */
function registryHostOf(ref: string): string {
  return parseReference(ref).name.split('/')[0];
}

export function registryErrorMessage(ref: string, stderr: string): string {
  const host = registryHostOf(ref);
  // Status codes as whole words: a registry on port 40333 is not a 403.
  if (/unauthorized|authentication required|denied|\b40[13]\b/i.test(stderr)) {
    return `The registry "${host}" refused the credentials for "${ref}". Run "docker login ${host}" with valid credentials, then rerun.`;
  }
  const detail = stderr.split('\n').pop() ?? stderr;
  return `Could not reach the registry "${host}" for "${ref}" (${detail}). Check the "registry" option and that the registry is running.`;
}
