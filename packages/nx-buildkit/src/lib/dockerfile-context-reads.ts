import { Copy, DockerfileParser, Instruction, JSONInstruction, ModifiableInstruction } from 'dockerfile-ast';
import { posix } from 'node:path';
import { substituteArgs } from './dockerfile';

export interface ContextRead {
  /**
   * The source as a POSIX path relative to the build context (`./` and a leading `/` removed, `.` for the context
   * root). It may hold glob characters (`COPY apps/*\/src …`).
   */
  readonly path: string;
  readonly instruction: 'COPY' | 'ADD' | 'RUN --mount';
  /** 0-based line of the instruction. */
  readonly line: number;
}

/**
 * The paths a Dockerfile reads from its build context: COPY and ADD sources and `RUN --mount=type=bind` sources.
 * Left out: `--from` (another stage or image), ADD of URLs and git repositories, here-documents, and sources that use
 * a variable with no value in the Dockerfile's ARG defaults or `buildArgs` (they cannot be located without the build).
 */
export function listContextReads(dockerfileText: string, buildArgs: Readonly<Record<string, string>> = {}): ContextRead[] {
  const dockerfile = DockerfileParser.parse(dockerfileText);
  const lines = dockerfileText.split(/\r?\n/);
  const args: Record<string, string> = {};
  const reads: ContextRead[] = [];
  const add = (raw: string, instruction: ContextRead['instruction'], line: number): void => {
    const path = resolveSource(raw, args);
    if (path !== undefined) reads.push({ path, instruction, line });
  };

  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    const line = instruction.getRange().start.line;
    if (keyword === 'ARG') {
      const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?\s*$/.exec(instruction.getArgumentsContent() ?? '');
      if (match) {
        const [, name, value] = match;
        if (name in buildArgs) args[name] = buildArgs[name];
        else if (value !== undefined) args[name] = unquote(value.trim());
      }
    } else if (keyword === 'COPY' || keyword === 'ADD') {
      if (flagsOf(instruction).some((flag) => flag.name === 'from')) continue;
      if (hasHeredoc(instruction)) continue;
      const words = jsonWords(instruction, lines) ?? instruction.getArguments().map((argument) => argument.getValue());
      for (const source of words.slice(0, -1)) {
        if (keyword === 'ADD' && /^([a-z][a-z0-9+.-]*:\/\/|git@)/i.test(source)) continue;
        add(source, keyword, line);
      }
    } else if (keyword === 'RUN') {
      for (const flag of flagsOf(instruction)) {
        if (flag.name !== 'mount') continue;
        const options = new Map(flag.options);
        if ((options.get('type') ?? 'bind') !== 'bind' || options.has('from')) continue;
        add(options.get('source') ?? options.get('src') ?? '.', 'RUN --mount', line);
      }
    }
  }
  return reads;
}

interface FlagInfo {
  readonly name: string;
  readonly options: ReadonlyArray<readonly [string, string]>;
}

/** Instruction flags (`--from=…`, `--mount=…`), names and option names lowercased as BuildKit reads them. */
function flagsOf(instruction: Instruction): FlagInfo[] {
  if (!(instruction instanceof ModifiableInstruction)) return [];
  return instruction.getFlags().map((flag) => ({
    name: flag.getName().toLowerCase(),
    options: flag.getOptions().map((option) => [option.getName().toLowerCase(), option.getValue() ?? ''] as const),
  }));
}

/** The words of the JSON form (`COPY ["a", "b", "/dest/"]`), or undefined for the shell form. */
function jsonWords(instruction: Instruction, lines: readonly string[]): string[] | undefined {
  if (!(instruction instanceof JSONInstruction)) return undefined;
  const strings = instruction.getJSONStrings();
  // dockerfile-ast drops spaces inside JSON strings ("my app/x" reads as "myapp/x"): parse the source text instead.
  return strings.length
    ? strings.map((s) => {
        const { start, end } = s.getRange();
        const literal = start.line === end.line ? (lines[start.line] ?? '').slice(start.character, end.character) : s.getValue();
        return jsonString(literal, s.getJSONValue());
      })
    : undefined;
}

/** A here-document (`COPY <<EOF /dest`) carries its content inline: nothing comes from the context. */
function hasHeredoc(instruction: Instruction): boolean {
  if (instruction instanceof Copy) return instruction.getHeredocs().length > 0;
  return instruction.getArguments().some((argument) => argument.getValue().startsWith('<<'));
}

/** The source relative to the context, or undefined when a variable in it has no known value. */
function resolveSource(raw: string, args: Readonly<Record<string, string>>): string | undefined {
  const names = [...raw.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]);
  if (names.some((name) => !(name in args))) return undefined;
  const substituted = substituteArgs(raw, args);
  const normalized = posix.normalize(substituted.replace(/^\/+/, '')).replace(/\/+$/, '');
  return normalized === '' ? '.' : normalized;
}

function jsonString(literal: string, fallback: string): string {
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : fallback;
  } catch {
    return fallback;
  }
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) return value.slice(1, -1);
  return value;
}
