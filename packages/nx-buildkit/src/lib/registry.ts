import { UserFacingError } from './errors';
import { runDocker } from './run-process';

export type RemoteLookup = { found: true; digest?: string } | { found: false };

/**
 * Looks a reference up in its registry without pulling it (`docker buildx imagetools inspect`). "Not found" is an
 * answer; an unreachable registry or rejected credentials are errors, so nothing is recorded as skipped or pushed.
 */
export async function findRemoteImage(ref: string): Promise<RemoteLookup> {
  const result = await runDocker(['buildx', 'imagetools', 'inspect', '--format', '{{json .Manifest}}', ref]);
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
export async function findRemoteDigest(ref: string): Promise<string | undefined> {
  const lookup = await findRemoteImage(ref);
  if (!lookup.found) return undefined;
  if (!lookup.digest) throw new UserFacingError(`The registry answered for "${ref}" without a manifest digest.`);
  return lookup.digest;
}

/** Adds tags in the registry to an image already there, without pulling or pushing layers. */
export async function createRemoteTags(source: string, targets: readonly string[]): Promise<void> {
  if (targets.length === 0) return;
  const args = ['buildx', 'imagetools', 'create'];
  for (const target of targets) args.push('--tag', target);
  args.push(source);
  const result = await runDocker(args);
  if (result.exitCode !== 0) throw new UserFacingError(registryErrorMessage(source, result.stderr.trim()));
}

function registryErrorMessage(ref: string, stderr: string): string {
  const host = ref.split('/')[0];
  if (/unauthorized|authentication required|denied|401|403/i.test(stderr)) {
    return `The registry "${host}" refused the credentials for "${ref}". Run "docker login ${host}" with valid credentials, then rerun.`;
  }
  const detail = stderr.split('\n').pop() ?? stderr;
  return `Could not reach the registry "${host}" for "${ref}" (${detail}). Check the "registry" option and that the registry is running.`;
}
