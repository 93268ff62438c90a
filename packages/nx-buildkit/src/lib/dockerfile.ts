import { DockerfileParser } from 'dockerfile-ast';

export interface BaseImageRef {
  /** The image reference after ARG substitution, e.g. `python:3.11-slim-bookworm`. */
  readonly ref: string;
  /** 0-based line of its FROM instruction. */
  readonly line: number;
}

/**
 * The external images a Dockerfile's stages start FROM: ARG defaults declared before the first FROM are substituted
 * (overridden by build args), references to earlier stages and `scratch` are left out. Order of first appearance.
 */
export function listBaseImages(dockerfileText: string, buildArgs: Readonly<Record<string, string>> = {}): BaseImageRef[] {
  const dockerfile = DockerfileParser.parse(dockerfileText);
  const globalArgs: Record<string, string> = {};
  const stageNames = new Set<string>();
  const seen = new Set<string>();
  const refs: BaseImageRef[] = [];
  let sawFrom = false;

  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    if (keyword === 'ARG' && !sawFrom) {
      for (const { name, value } of parseArgDeclarations(instruction.getArgumentsContent() ?? '')) {
        globalArgs[name] = name in buildArgs ? buildArgs[name] : substituteArgs(value ?? '', globalArgs);
      }
      continue;
    }
    if (keyword !== 'FROM') continue;
    sawFrom = true;
    const args = (instruction.getArgumentsContent() ?? '')
      .split(/\s+/)
      .filter((word) => word && !word.startsWith('--'));
    const [image, as, stage] = args;
    if (!image) continue;
    const ref = substituteArgs(image, globalArgs);
    const isStage = stageNames.has(ref.toLowerCase());
    if (as?.toUpperCase() === 'AS' && stage) stageNames.add(stage.toLowerCase());
    // An empty ref (an ARG without default or value) fails in BuildKit itself, with its own message.
    if (isStage || ref === '' || ref === 'scratch' || seen.has(ref)) continue;
    seen.add(ref);
    refs.push({ ref, line: instruction.getRange().start.line });
  }
  return refs;
}

/** `ARG A=1 B="two words" C`: several declarations may share one line. */
function parseArgDeclarations(content: string): { name: string; value?: string }[] {
  const declarations: { name: string; value?: string }[] = [];
  for (const word of splitWords(content)) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/s.exec(word);
    if (match) declarations.push({ name: match[1], value: match[2] === undefined ? undefined : unquote(match[2]) });
  }
  return declarations;
}

/** Splits at unquoted white space, keeping quotes for unquote to strip. */
function splitWords(content: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const ch of content.trim()) {
    if (quote) {
      current += ch;
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      current += ch;
      quote = ch;
    } else if (/\s/.test(ch)) {
      if (current) words.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (current) words.push(current);
  return words;
}

function unquote(value: string): string {
  return value.replace(/"([^"]*)"|'([^']*)'/g, (_m, double, single) => double ?? single);
}

/** Dockerfile variable substitution for FROM: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+alt}`. */
export function substituteArgs(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, braced, op, word, bare) => {
    const name = braced ?? bare;
    const value = vars[name] ?? '';
    if (op === '-') return value !== '' ? value : word;
    if (op === '+') return value !== '' ? word : '';
    return value;
  });
}
