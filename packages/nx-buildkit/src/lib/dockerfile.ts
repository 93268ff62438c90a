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
      const { name, value } = parseArgDeclaration(instruction.getArgumentsContent() ?? '');
      if (name) globalArgs[name] = name in buildArgs ? buildArgs[name] : value ?? '';
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
    if (isStage || ref === 'scratch' || seen.has(ref)) continue;
    seen.add(ref);
    refs.push({ ref, line: instruction.getRange().start.line });
  }
  return refs;
}

function parseArgDeclaration(content: string): { name?: string; value?: string } {
  const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?\s*$/.exec(content);
  if (!match) return {};
  return { name: match[1], value: match[2] === undefined ? undefined : unquote(match[2].trim()) };
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) {
    return value.slice(1, -1);
  }
  return value;
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
