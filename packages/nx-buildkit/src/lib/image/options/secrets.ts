/**
 * A build secret as buildx takes it: `id=NAME,src=PATH` / `id=NAME,env=VAR` (also `type=file|env`, `source`), plus
 * `required=false`, the key Dockerfile secret mounts use, to build without a secret whose source is missing.
 */
export interface SecretSpec {
  readonly id: string;
  readonly type: 'file' | 'env';
  /** The file path or environment variable name: where the value comes from, never the value. */
  readonly source: string;
  /** A missing source fails the build before it starts, unless `required=false`. */
  readonly required: boolean;
}

const SECRET_KEYS = new Set(['id', 'type', 'src', 'source', 'env', 'required']);

export function parseSecretSpec(spec: string): SecretSpec | undefined {
  const fields: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    const key = part.slice(0, eq).toLowerCase();
    // buildx rejects any other key ("unexpected key"): reject it here, before anything runs.
    if (!SECRET_KEYS.has(key)) return undefined;
    fields[key] = part.slice(eq + 1);
  }
  const id = fields['id'];
  const src = fields['src'] ?? fields['source'];
  const env = fields['env'];
  const type = fields['type'] ?? (env !== undefined ? 'env' : 'file');
  const required = fields['required']?.toLowerCase() ?? 'true';
  if (!id || (type !== 'file' && type !== 'env') || (required !== 'true' && required !== 'false')) return undefined;
  const source = type === 'env' ? env ?? src ?? id : src ?? id;
  return source ? { id, type, source, required: required === 'true' } : undefined;
}

/** The entry as buildx takes it: buildx 0.13 refuses `required` ("unexpected key"), which is ours to act on. */
export function buildxSecretSpec(spec: string): string {
  return spec
    .split(',')
    .filter((part) => !/^required=/i.test(part))
    .join(',');
}

/**
 * Why the secret's value cannot be had, naming the secret and its source (never a value): an unset variable, a file
 * that is not there. buildx would send an unset variable as an empty secret and build; the user who wrote the secret
 * meant it to be there. A file source is resolved against `cwd`, where buildx runs.
 */
export function missingSecretSource(spec: SecretSpec, env: Readonly<Record<string, string | undefined>>, fileExists: (path: string) => boolean): string | undefined {
  if (spec.type === 'env') return env[spec.source] === undefined ? `the environment variable ${spec.source} is not set` : undefined;
  return fileExists(spec.source) ? undefined : `the file "${spec.source}" does not exist`;
}

/** Words that, as a whole `_`-separated word of a build arg's name, suggest a secret (NPM_TOKEN, DB_PASSWORD, API_KEY). */
const SECRET_WORDS = new Set(['TOKEN', 'PASSWORD', 'PASSWD', 'PASS', 'SECRET', 'KEY', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'AUTH', 'PRIVATE']);

/** Build args whose names suggest a secret: their values would be visible in `docker history`. */
export function secretLikeBuildArgs(buildArgs: Readonly<Record<string, string>>): string[] {
  return Object.keys(buildArgs).filter((name) => {
    const words = name.toUpperCase().split('_');
    // PRIVATE alone is too broad (PRIVATE_REGISTRY_URL); PRIVATE_KEY is caught by KEY.
    return words.some((word) => word !== 'PRIVATE' && SECRET_WORDS.has(word));
  });
}
