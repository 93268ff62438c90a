/**
 * Dockerfile variable substitution as BuildKit does it for FROM, COPY, ADD, WORKDIR, USER, ENV and ARG:
 * `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+alternative}`.
 */

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Substitutes every variable; one without a value becomes empty, as in Docker. */
export function substituteArgs(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(VARIABLE, (_m, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    const value = vars[name] ?? '';
    if (op === '-') return value !== '' ? value : (word ?? '');
    if (op === '+') return value !== '' ? (word ?? '') : '';
    return value;
  });
}

/**
 * Substitutes with the variables in scope, or undefined when the text uses one whose value is not known (declared
 * without a value and not given as a build arg, or not declared at all): the result could only be known at build time.
 * `${VAR:-default}` is known whatever VAR is.
 */
export function resolveVariables(text: string, vars: Readonly<Record<string, string | undefined>>): string | undefined {
  if (hasUnknownVariable(text, vars)) return undefined;
  const known: Record<string, string> = {};
  for (const [name, value] of Object.entries(vars)) if (value !== undefined) known[name] = value;
  return substituteArgs(text, known);
}

export function hasUnknownVariable(text: string, vars: Readonly<Record<string, string | undefined>>): boolean {
  for (const match of text.matchAll(VARIABLE)) {
    const name = match[1] ?? match[4];
    if (match[2] === '-') continue;
    if (vars[name] === undefined) return true;
  }
  return false;
}

/** `ARG A=1 B="two words" C`: several declarations may share one line; quotes are removed from values. */
export function parseArgDeclarations(content: string): Array<{ name: string; value?: string }> {
  const declarations: Array<{ name: string; value?: string }> = [];
  for (const word of content.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/s.exec(word);
    if (match) declarations.push({ name: match[1], value: match[2]?.replace(/"([^"]*)"|'([^']*)'/g, (_m, d: string | undefined, q: string | undefined) => d ?? q ?? '') });
  }
  return declarations;
}
