/**
 * Shapes of the files the plugin writes and reads back (records, inputs manifests, the digest cache, release version
 * files, report entries): each shape parses an untrusted JSON value into a typed copy or throws a ShapeError naming
 * where it differs. Objects keyed by file or image names become null-prototype copies, so a key such as
 * `constructor` or `__proto__` in a hostile file is data, never something inherited. Unknown properties of an object
 * are dropped: a file written by a newer plugin still reads as what this one understands.
 */
export type Shape<T> = (value: unknown, at: string) => T;

export type ShapeOf<S> = S extends Shape<infer T> ? T : never;

export class ShapeError extends Error {}

function fail(at: string, expected: string, value: unknown): never {
  throw new ShapeError(`${at || 'the file'}: expected ${expected}, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value;
}

export const string: Shape<string> = (value, at) => (typeof value === 'string' ? value : fail(at, 'a string', value));

export const boolean: Shape<boolean> = (value, at) => (typeof value === 'boolean' ? value : fail(at, 'true or false', value));

/** A finite number (JSON has no others, but a hostile 1e999 parses as Infinity). */
export const number: Shape<number> = (value, at) => (typeof value === 'number' && Number.isFinite(value) ? value : fail(at, 'a number', value));

/** A string matching a pattern (a sha256 digest, an identity key), described by name in the error. */
export function matching(pattern: RegExp, description: string): Shape<string> {
  return (value, at) => (typeof value === 'string' && pattern.test(value) ? value : fail(at, description, value));
}

export function oneOf<const T extends readonly (string | number)[]>(...allowed: T): Shape<T[number]> {
  return (value, at) => (allowed.includes(value as T[number]) ? (value as T[number]) : fail(at, `one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`, value));
}

export function optional<T>(shape: Shape<T>): Shape<T | undefined> {
  return (value, at) => (value === undefined ? undefined : shape(value, at));
}

export function nullable<T>(shape: Shape<T>): Shape<T | null> {
  return (value, at) => (value === null ? null : shape(value, at));
}

export function listOf<T>(item: Shape<T>): Shape<T[]> {
  return (value, at) => (Array.isArray(value) ? value.map((entry, i) => item(entry, `${at}[${i}]`)) : fail(at, 'a list', value));
}

export function tuple<A, B>(first: Shape<A>, second: Shape<B>): Shape<[A, B]> {
  return (value, at) => (Array.isArray(value) && value.length === 2 ? [first(value[0], `${at}[0]`), second(value[1], `${at}[1]`)] : fail(at, 'a pair', value));
}

/** An object used as a map (file path → digest): a null-prototype copy, every value checked. */
export function recordOf<T>(entry: Shape<T>): Shape<Record<string, T>> {
  return (value, at) => {
    if (!isPlainObject(value)) fail(at, 'an object', value);
    const out = Object.create(null) as Record<string, T>;
    for (const key of Object.keys(value)) out[key] = entry(value[key], `${at}[${JSON.stringify(key)}]`);
    return out;
  };
}

type Fields = Record<string, Shape<unknown>>;
type OptionalKeys<F extends Fields> = { [K in keyof F]: undefined extends ShapeOf<F[K]> ? K : never }[keyof F];
type Parsed<F extends Fields> = { -readonly [K in Exclude<keyof F, OptionalKeys<F>>]: ShapeOf<F[K]> } & { -readonly [K in OptionalKeys<F>]?: ShapeOf<F[K]> };

/** An object with these properties (others are dropped); an optional one that is absent stays absent. */
export function object<F extends Fields>(fields: F): Shape<Parsed<F>> {
  return (value, at) => {
    if (!isPlainObject(value)) fail(at, 'an object', value);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(fields)) {
      const parsed = fields[key](Object.hasOwn(value, key) ? value[key] : undefined, at ? `${at}.${key}` : key);
      if (parsed !== undefined) out[key] = parsed;
    }
    return out as Parsed<F>;
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
