import { describeError } from '../../errors';
import { hasTag, InspectedImage } from './image-identity';
import { canonicalReference, parseReference } from './image-ref';

/**
 * What stands for a FROM image in the inputs hash: the image the build will actually use, named so that every
 * machine that would use the same image names it the same way.
 */
export type BaseIdentity =
  /** The registry's manifest digest: pinned in the Dockerfile, a repo digest of the local image, or the tag's digest in the registry. */
  | { readonly kind: 'digest'; readonly digest: string; readonly source: 'pinned' | 'local' | 'registry' }
  /** An image nx-buildkit built (or one this workspace builds, hashed from the checkout): its inputs hash, the same on every machine. */
  | { readonly kind: 'inputs-hash'; readonly hash: string }
  /** A local image no registry knows (built or imported here): its ID. */
  | { readonly kind: 'image-id'; readonly id: string }
  /** Could not be found out: the build must not be skipped on it. */
  | { readonly kind: 'unknown'; readonly reason: string };

/** The identity as it is hashed and recorded: `sha256:…`, `nxb:<hash>`, `image-id:sha256:…` or `unknown`. */
export function formatBaseIdentity(identity: BaseIdentity): string {
  switch (identity.kind) {
    case 'digest':
      return identity.digest;
    case 'inputs-hash':
      return `nxb:${identity.hash}`;
    case 'image-id':
      return `image-id:${identity.id}`;
    case 'unknown':
      return 'unknown';
  }
}

export interface LocalFacts {
  /** Inputs hash of an image built by this run (batch mode) under this reference. */
  readonly builtThisRun?: string;
  /** The local image under this reference, if the engine has it. */
  readonly local?: InspectedImage;
  /**
   * Inputs hash of this workspace's last record that tagged this reference. A function: it reads every record, so it
   * is asked only when neither this run nor the image's label decides.
   */
  readonly recorded?: () => string | undefined;
  /** `pull: true`: BuildKit fetches the base from its registry even when the engine has it. */
  readonly pull: boolean;
}

/**
 * The identity that local facts decide, or undefined when only the registry can tell (the image is absent here, or
 * the build pulls). Order matters: a pinned digest is what BuildKit fetches whatever is local; an image nx-buildkit
 * built is named by its inputs hash, which its registry digest is not stable against (a rebuild of the same inputs
 * gets another digest); a pulled image is named by the digest the registry gave it, the same on every machine that
 * pulled that tag; an image only this machine has is named by its ID.
 */
export function identifyFromLocalFacts(ref: string, facts: LocalFacts): BaseIdentity | undefined {
  const parsed = parseReference(ref);
  if (parsed.digest) return { kind: 'digest', digest: parsed.digest, source: 'pinned' };
  const nxb = facts.builtThisRun ?? facts.local?.inputsHash ?? facts.recorded?.();
  if (nxb) return { kind: 'inputs-hash', hash: nxb };
  if (facts.pull || !facts.local) return undefined;
  const repoDigest = facts.local.repoDigests.map((entry) => parseReference(entry)).find((entry) => entry.name === parsed.name && entry.digest);
  if (repoDigest?.digest) return { kind: 'digest', digest: repoDigest.digest, source: 'local' };
  return { kind: 'image-id', id: facts.local.id };
}

/** What the resolver is told of one reference beside what it finds in the engine and the registry. */
export interface IdentifyFacts extends Omit<LocalFacts, 'local'> {
  /**
   * The identity of an image a build target of this workspace makes, computed from the checkout (its inputs hash);
   * undefined when no build target of the workspace tags this reference. Asked only when this run has not hashed the
   * image already: it decides before anything the engine, the records or the registry hold, so that every machine and
   * every command names the parent image alike, whether it was built here, recorded, or neither.
   */
  readonly workspaceImage?: () => Promise<BaseIdentity> | undefined;
}

/** The engine calls the resolver makes: both are batched or cached by it, never repeated per image. */
export interface BaseImageEngine {
  /** One `docker image inspect` for all the references; absent images are simply not in the answer. */
  inspectImages(refs: readonly string[]): Promise<InspectedImage[]>;
  /** The tag's manifest digest in its registry without pulling; undefined when the registry does not have it. Throws when it cannot be asked. */
  remoteDigest(ref: string): Promise<string | undefined>;
}

/**
 * Identifies base images for one run: each distinct reference is inspected once (all of a batch in one engine call)
 * and looked up in its registry at most once, however many images start FROM it.
 */
export class BaseIdentityResolver {
  private readonly local = new Map<string, Promise<InspectedImage | undefined>>();
  private readonly remote = new Map<string, Promise<BaseIdentity>>();

  constructor(private readonly engine: BaseImageEngine) {}

  /** Inspects every reference not inspected yet, in one engine call. */
  prefetch(refs: readonly string[]): Promise<void> {
    const wanted = [...new Set(refs.map(canonicalReference))].filter((ref) => !this.local.has(ref) && !parseReference(ref).digest);
    if (wanted.length === 0) return Promise.resolve();
    const inspected = this.engine.inspectImages(wanted).catch(() => [] as InspectedImage[]);
    for (const ref of wanted) this.local.set(ref, inspected.then((images) => images.find((image) => hasTag(image, ref))));
    return inspected.then(() => undefined);
  }

  async identify(ref: string, facts: IdentifyFacts): Promise<BaseIdentity> {
    const canonical = canonicalReference(ref);
    const pinned = Boolean(parseReference(ref).digest);
    if (!pinned && !facts.builtThisRun) {
      const fromWorkspace = facts.workspaceImage?.();
      if (fromWorkspace) return fromWorkspace;
    }
    if (!pinned) await this.prefetch([canonical]);
    const local = await this.local.get(canonical);
    const decided = identifyFromLocalFacts(ref, { ...facts, local });
    if (decided) return decided;
    let lookup = this.remote.get(canonical);
    if (!lookup) {
      lookup = this.engine.remoteDigest(ref).then(
        (digest): BaseIdentity =>
          digest ? { kind: 'digest', digest, source: 'registry' } : { kind: 'unknown', reason: `"${ref}" is neither in the local engine nor in its registry` },
        (error): BaseIdentity => ({ kind: 'unknown', reason: describeError(error).split('\n')[0] }),
      );
      this.remote.set(canonical, lookup);
    }
    return lookup;
  }
}
