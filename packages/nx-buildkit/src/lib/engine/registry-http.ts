import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * One HTTP exchange with a registry or its token service, bounded every way a misbehaving server could stretch it:
 * - a total deadline for the whole exchange, redirects included (an idle timeout alone lets a server that sends a
 *   byte every few seconds hold a run forever);
 * - a size bound on the body (a 400 MB "manifest" was read whole, then written back under the tag);
 * - redirects (301/302/303/307/308, as registries send to blob storage) followed at most MAX_REDIRECTS times, never
 *   from HTTPS to plain HTTP, and always without the Authorization header: a presigned storage URL carries its own
 *   authorisation, and the registry's credentials are not the storage's to see. Go's client, which Docker uses, drops
 *   the header only when the host changes; dropping it always is never weaker.
 * Both bounds are named in the error.
 */
export interface RegistryExchange {
  readonly method: 'GET' | 'PUT' | 'HEAD';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  /** The largest body accepted; a bigger one (by Content-Length or as it streams) ends the exchange with an error. */
  readonly maxBodyBytes: number;
  /** For the whole exchange, redirects included. */
  readonly deadlineMs: number;
  /** What is asked for, for errors: `the manifest of localhost:5000/api:nxb-…`. */
  readonly what: string;
}

export interface RegistryHttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** The bound on a manifest: what Docker's distribution client and containerd accept (4 MiB). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** A token answer is a few KB; an error body is only read for its message. */
export const MAX_SMALL_BODY_BYTES = 256 * 1024;
export const REGISTRY_DEADLINE_MS = 30_000;
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class RegistryHttpError extends Error {}

export async function registryExchange(url: string, exchange: RegistryExchange): Promise<RegistryHttpAnswer> {
  const deadline = Date.now() + exchange.deadlineMs;
  let current = new URL(url);
  let { method, headers, body } = exchange;
  for (let hop = 0; ; hop++) {
    const answer = await once(current, method, headers, body, exchange, deadline);
    const location = answer.headers.location;
    if (!REDIRECTS.has(answer.status) || typeof location !== 'string') return answer;
    if (hop === MAX_REDIRECTS) throw new RegistryHttpError(`${exchange.what}: more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, current);
    if (next.protocol !== 'https:' && (next.protocol !== 'http:' || current.protocol === 'https:')) {
      throw new RegistryHttpError(`${exchange.what}: the registry redirected from ${current.protocol.slice(0, -1)} to ${next.protocol.slice(0, -1)} (${next.host}); refused`);
    }
    // 303 (and 301/302 for a PUT, as browsers do) turn into a GET without a body; 307/308 repeat the request.
    if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method !== 'GET' && method !== 'HEAD')) {
      method = 'GET';
      body = undefined;
    }
    headers = withoutAuthorization(headers);
    current = next;
  }
}

function withoutAuthorization(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
}

function once(url: URL, method: string, headers: Readonly<Record<string, string>>, body: Buffer | undefined, exchange: RegistryExchange, deadline: number): Promise<RegistryHttpAnswer> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const seconds = `${Math.round(exchange.deadlineMs / 1000)} s`;
  const limit = formatLimit(exchange.maxBodyBytes);
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | undefined, answer?: RegistryHttpAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(answer as RegistryHttpAnswer);
    };
    const remaining = deadline - Date.now();
    const timer = setTimeout(() => finish(new RegistryHttpError(`${exchange.what}: no complete answer from ${url.host} within the ${seconds} deadline`)), Math.max(remaining, 0));
    const req = request(
      url,
      // No kept-alive agent: a run makes a handful of these, and an idle socket would hold the process open.
      { method, agent: false, headers: { ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}) } },
      (res) => {
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > exchange.maxBodyBytes) {
          finish(new RegistryHttpError(`${exchange.what}: ${url.host} answered with ${formatLimit(declared)}, more than the ${limit} bound`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > exchange.maxBodyBytes) finish(new RegistryHttpError(`${exchange.what}: ${url.host} sent more than the ${limit} bound`));
          else chunks.push(chunk);
        });
        res.on('end', () => finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', (error) => finish(error));
      },
    );
    req.on('error', (error) => finish(error));
    req.end(body);
  });
}

function formatLimit(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MB` : `${Math.round(bytes / 1024)} KB`;
}
