/** A build secret as buildx takes it: `id=NAME,src=PATH` / `id=NAME,env=VAR` (also `type=file|env`, `source`). */
export interface SecretSpec {
  readonly id: string;
  readonly type: 'file' | 'env';
  /** The file path or environment variable name: where the value comes from, never the value. */
  readonly source: string;
}

export function parseSecretSpec(spec: string): SecretSpec | undefined {
  const fields: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    fields[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim();
  }
  const id = fields['id'];
  const src = fields['src'] ?? fields['source'];
  const env = fields['env'];
  const type = fields['type'] ?? (env !== undefined ? 'env' : 'file');
  if (!id || (type !== 'file' && type !== 'env')) return undefined;
  const source = type === 'env' ? env ?? src ?? id : src ?? id;
  return source ? { id, type, source } : undefined;
}

const SECRET_LIKE_NAME = /(TOKEN|PASSWORD|PASSWD|SECRET|PRIVATE|API_?KEY|ACCESS_?KEY|CREDENTIALS?|(^|_)KEY($|_))/i;

/** Build args whose names suggest a secret: their values would be visible in `docker history`. */
export function secretLikeBuildArgs(buildArgs: Readonly<Record<string, string>>): string[] {
  return Object.keys(buildArgs).filter((name) => SECRET_LIKE_NAME.test(name));
}
