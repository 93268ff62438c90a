/** A build secret as buildx takes it: `id=NAME,src=PATH` / `id=NAME,env=VAR` (also `type=file|env`, `source`). */
export interface SecretSpec {
  readonly id: string;
  readonly type: 'file' | 'env';
  /** The file path or environment variable name: where the value comes from, never the value. */
  readonly source: string;
}

const SECRET_KEYS = new Set(['id', 'type', 'src', 'source', 'env']);

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
  if (!id || (type !== 'file' && type !== 'env')) return undefined;
  const source = type === 'env' ? env ?? src ?? id : src ?? id;
  return source ? { id, type, source } : undefined;
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
