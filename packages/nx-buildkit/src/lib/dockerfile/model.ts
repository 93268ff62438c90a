import { Arg, DockerfileParser, Env, Heredoc, Instruction, JSONInstruction, ModifiableInstruction } from 'dockerfile-ast';
import { hasUnknownVariable, parseArgDeclarations, substituteArgs } from './variables';
import { compareCodeUnits } from '../compare-text';

/**
 * The one model of a Dockerfile: the executor (base images, what the context must send), the plugin (context choice,
 * Nx inputs), the analyzer and the optimizer all read it. Instructions with their exact line ranges, grouped into
 * stages. Built on dockerfile-ast, which handles line continuations, the escape directive, flags, the JSON form and
 * here-documents; this is the only module that calls it, and it reshapes its output so nothing else touches the
 * parser's API.
 */

export interface ParsedFlag {
  /** Lower-cased, as BuildKit reads flag names. */
  readonly name: string;
  readonly value: string | null;
  /** `--mount=type=cache,target=/x` → { type: 'cache', target: '/x' }; option names lower-cased. */
  readonly options: Readonly<Record<string, string>>;
}

export interface ParsedInstruction {
  /** Upper-cased keyword (`run` and `Run` read as RUN). */
  readonly keyword: string;
  /** 0-based first and last line; the last line includes continuation lines and here-document terminators. */
  readonly startLine: number;
  readonly endLine: number;
  /** 0-based position just after the keyword, where flags can be inserted. */
  readonly keywordEnd: { readonly line: number; readonly character: number };
  /** 0-based position where the arguments start (after any flags); undefined when there are none. */
  readonly argsStart?: { readonly line: number; readonly character: number };
  /** The arguments without flags, continuation lines joined (comments inside continuations dropped). */
  readonly args: string;
  /** Shell-form argument words without flags. */
  readonly words: readonly string[];
  /** The exec (JSON) form's strings, when the instruction uses it. */
  readonly json?: readonly string[];
  readonly flags: readonly ParsedFlag[];
  /** Bodies of here-documents (`RUN <<EOF`), in order. */
  readonly heredocs: readonly string[];
  /** ENV/ARG name-value pairs (value undefined for `ARG NAME` without default). */
  readonly properties: ReadonlyArray<{ readonly name: string; readonly value?: string }>;
  /** Index of the stage, -1 for ARGs before the first FROM. */
  readonly stage: number;
}

export interface ParsedStage {
  readonly index: number;
  /** `FROM … AS <name>`, as written. */
  readonly name?: string;
  readonly from: ParsedInstruction;
  /** The base after substituting global ARG defaults, e.g. `node:20-bookworm-slim`. */
  readonly base: string;
  /** The stage this one starts FROM, when its base names an earlier stage. */
  readonly baseStage?: number;
  /** The base still holds a variable with no default (it can only be known at build time). */
  readonly baseUnresolved: boolean;
  /** Instructions after the FROM, in order. */
  readonly instructions: readonly ParsedInstruction[];
}

export interface ParsedDockerfile {
  readonly text: string;
  readonly lines: readonly string[];
  readonly escapeChar: string;
  /** Parser directives (`# syntax=…`, `# escape=…`) with their 0-based lines. */
  readonly directives: ReadonlyArray<{ readonly name: string; readonly value: string; readonly line: number }>;
  /**
   * ARGs declared before the first FROM, with their values: the build arg when one is given, else the default
   * (expanded with the ARGs before it); a declaration without either has no value (undefined).
   */
  readonly globalArgs: Readonly<Record<string, string | undefined>>;
  /** The build args the model was read with: they override ARG defaults, only where an ARG declares the name. */
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly instructions: readonly ParsedInstruction[];
  readonly stages: readonly ParsedStage[];
}

/**
 * Models parsed lately, by build args and text. One run reads each Dockerfile's model several times (its base images,
 * what its context sends, the pruned-dependencies and Node-install checks, before any image is built), and
 * dockerfile-ast's parse is the costly part: a batch no-op of 50 images parsed 200 times. Models are read-only, so
 * every reader shares one; a bounded number is kept, as long-lived processes (the daemon's plugin worker) see many.
 */
const recentModels = new Map<string, ParsedDockerfile>();
const RECENT_MODELS_MAX = 128;

export function parseDockerfile(text: string, buildArgs: Readonly<Record<string, string>> = {}): ParsedDockerfile {
  const key = `${JSON.stringify(Object.entries(buildArgs).sort(([a], [b]) => compareCodeUnits(a, b)))}\n${text}`;
  const known = recentModels.get(key);
  if (known) return known;
  const model = parseDockerfileText(text, buildArgs);
  recentModels.set(key, model);
  if (recentModels.size > RECENT_MODELS_MAX) recentModels.delete(recentModels.keys().next().value as string);
  return model;
}

function parseDockerfileText(text: string, buildArgs: Readonly<Record<string, string>>): ParsedDockerfile {
  const dockerfile = DockerfileParser.parse(text);
  const lines = text.split(/\r?\n/);
  const globalArgs: Record<string, string | undefined> = {};
  const knownGlobals = (): Record<string, string> => Object.fromEntries(Object.entries(globalArgs).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const instructions: ParsedInstruction[] = [];
  const stages: Array<Omit<ParsedStage, 'instructions'> & { instructions: ParsedInstruction[] }> = [];

  for (const node of dockerfile.getInstructions()) {
    const parsed = toParsedInstruction(node, lines, stages.length - 1);
    instructions.push(parsed);
    if (parsed.keyword === 'FROM') {
      const words = parsed.words;
      const raw = words[0] ?? '';
      const base = substituteArgs(raw, knownGlobals());
      const name = words[1]?.toUpperCase() === 'AS' ? words[2] : undefined;
      const baseStage = stages.findIndex((stage) => stage.name !== undefined && stage.name.toLowerCase() === base.toLowerCase());
      const from = { ...parsed, stage: stages.length };
      instructions[instructions.length - 1] = from;
      stages.push({
        index: stages.length,
        name,
        from,
        base,
        baseStage: baseStage >= 0 ? baseStage : undefined,
        baseUnresolved: hasUnknownVariable(raw, globalArgs),
        instructions: [],
      });
      continue;
    }
    if (stages.length === 0) {
      if (parsed.keyword === 'ARG') {
        for (const { name, value } of parsed.properties) {
          globalArgs[name] = name in buildArgs ? buildArgs[name] : value === undefined ? undefined : substituteArgs(value, knownGlobals());
        }
      }
      continue;
    }
    stages[stages.length - 1].instructions.push(parsed);
  }

  return {
    text,
    lines,
    escapeChar: dockerfile.getEscapeCharacter(),
    directives: dockerfile.getDirectives().map((directive) => ({
      name: directive.getName().toLowerCase(),
      value: directive.getValue(),
      line: directive.getRange().start.line,
    })),
    globalArgs,
    buildArgs,
    instructions,
    stages,
  };
}

function toParsedInstruction(node: Instruction, lines: readonly string[], stage: number): ParsedInstruction {
  const range = node.getRange();
  const flags = node instanceof ModifiableInstruction ? node.getFlags() : [];
  // getHeredocs is public on RUN and COPY only, yet defined (and empty) on every instruction.
  const heredocNodes = (node as unknown as { getHeredocs(): Heredoc[] }).getHeredocs();
  const heredocs = heredocNodes.map((heredoc) => {
    const content = heredoc.getContentRange();
    if (!content) return '';
    return lines.slice(content.start.line, content.end.line + 1).join('\n');
  });
  const json = node instanceof JSONInstruction ? execForm(node.getArgumentsContent() ?? '') : undefined;
  let properties: Array<{ name: string; value?: string }> = [];
  if (node instanceof Env) {
    properties = node.getProperties().map((p) => ({ name: p.getName(), value: p.getValue() ?? '' }));
  } else if (node instanceof Arg) {
    // `ARG A B=2` declares two; dockerfile-ast reads it as A with the value "B=2".
    properties = parseArgDeclarations(node.getArgumentsContent() ?? '');
  }
  const keywordRange = node.getInstructionRange();
  const argsRange = node.getArgumentsRange();
  return {
    keyword: node.getKeyword().toUpperCase(),
    startLine: range.start.line,
    endLine: Math.max(range.end.line, range.start.line),
    keywordEnd: { line: keywordRange.end.line, character: keywordRange.end.character },
    argsStart: argsRange ? { line: argsRange.start.line, character: argsRange.start.character } : undefined,
    args: heredocs.length > 0 ? (node.getArgumentsContent() ?? '') : withoutCommentLines(node.getArgumentsContent() ?? '', lines, range.start.line, range.end.line),
    words: node
      .getArguments()
      .filter((argument) => heredocs.length > 0 || !isInCommentLine(lines, argument.getRange().start.line, range.start.line))
      .map((argument) => argument.getValue()),
    json,
    flags: flags.map((flag) => ({
      name: flag.getName().toLowerCase(),
      value: flag.getValue(),
      options: Object.fromEntries(flag.getOptions().map((option) => [option.getName().toLowerCase(), option.getValue() ?? ''])),
    })),
    heredocs,
    properties,
    stage,
  };
}

/**
 * The arguments with the comment lines of a continued instruction removed, as BuildKit removes them before it reads
 * the instruction: a line whose first non-blank character is `#`, indented or not. dockerfile-ast drops unindented
 * ones only, and leaves `# note\n` in the middle of an indented RUN, where it would read as part of the command.
 */
function withoutCommentLines(args: string, lines: readonly string[], start: number, end: number): string {
  let result = args;
  for (let line = start + 1; line <= end; line++) {
    // A comment line that ends in the escape character (`# && apt-get install vim \`) appears in the arguments
    // without it: the parser joined it to the next line.
    const text = (lines[line] ?? '').trim().replace(/[ \t]*\\$/, '');
    if (!text.startsWith('#')) continue;
    const at = result.indexOf(text);
    if (at < 0) continue;
    // The comment, the blanks before it and the line break after it.
    let from = at;
    while (from > 0 && (result[from - 1] === ' ' || result[from - 1] === '\t')) from--;
    const to = result[at + text.length] === '\n' ? at + text.length + 1 : at + text.length;
    result = result.slice(0, from) + (from > 0 ? ' ' : '') + result.slice(to);
  }
  return result;
}

function isInCommentLine(lines: readonly string[], line: number, start: number): boolean {
  return line > start && (lines[line] ?? '').trim().startsWith('#');
}

/**
 * The exec form's strings. Parsed here rather than with dockerfile-ast's getJSONValue, which drops the spaces inside
 * strings (`"npm ci"` → `npmci`, measured with 0.7.1). Like Docker, text that is not a JSON array of strings is the
 * shell form.
 */
function execForm(args: string): string[] | undefined {
  if (!args.trimStart().startsWith('[')) return undefined;
  try {
    const parsed = JSON.parse(args) as unknown;
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The shell text a RUN executes: the here-document bodies for `RUN <<EOF`, the last argument of an exec-form
 * `["sh", "-c", "…"]`, the joined words of another exec form, else the arguments.
 */
export function runCommandText(instruction: ParsedInstruction): string {
  if (instruction.json) {
    const json = instruction.json;
    const shell = json.length >= 3 && /(^|\/)(ba|da|a)?sh$/.test(json[0]) && json[1] === '-c';
    return shell ? json[2] : json.join(' ');
  }
  if (instruction.heredocs.length > 0) {
    const beforeHeredoc = instruction.args.split('\n')[0].replace(/<<-?["']?[A-Za-z0-9_]+["']?/g, ' ').trim();
    return [beforeHeredoc, ...instruction.heredocs].filter(Boolean).join('\n');
  }
  return instruction.args;
}

/** The cache mounts of a RUN: their targets and ids. */
export function cacheMounts(instruction: ParsedInstruction): Array<{ target: string; id?: string; options: Readonly<Record<string, string>> }> {
  return instruction.flags
    .filter((flag) => flag.name === 'mount' && flag.options.type === 'cache')
    .map((flag) => ({ target: flag.options.target ?? flag.options.dst ?? flag.options.destination ?? '', id: flag.options.id, options: flag.options }));
}

/** Stages whose files end up in the final image: the last stage and the stages it starts FROM, in order. */
export function finalImageStages(dockerfile: ParsedDockerfile): ParsedStage[] {
  const chain: ParsedStage[] = [];
  let stage: ParsedStage | undefined = dockerfile.stages[dockerfile.stages.length - 1];
  while (stage && !chain.includes(stage)) {
    chain.unshift(stage);
    stage = stage.baseStage !== undefined ? dockerfile.stages[stage.baseStage] : undefined;
  }
  return chain;
}

/** The external image a stage's FROM chain starts from ('' when a variable without value hides it). */
export function externalBase(dockerfile: ParsedDockerfile, stageIndex: number): string {
  let stage = dockerfile.stages[stageIndex];
  const seen = new Set<number>();
  while (stage.baseStage !== undefined && !seen.has(stage.baseStage)) {
    seen.add(stage.index);
    stage = dockerfile.stages[stage.baseStage];
  }
  return stage.baseUnresolved ? '' : stage.base;
}

/** Base images that switch to an unprivileged user themselves, judged by their name. */
export const NON_ROOT_IMAGE = /nonroot|non-root|unprivileged|rootless/i;

/** Display form of an instruction's first line, for messages: `COPY . .`. */
export function instructionSummary(instruction: ParsedInstruction, dockerfile: Pick<ParsedDockerfile, 'lines' | 'escapeChar'>): string {
  let first = (dockerfile.lines[instruction.startLine] ?? '').trim();
  if (first.endsWith(dockerfile.escapeChar)) first = first.slice(0, -1).trimEnd();
  return first.length > 80 ? `${first.slice(0, 77)}…` : first;
}

/**
 * Whether a SHELL instruction keeps RUN commands readable as sh: bash, dash, ash or sh (with any options, such as
 * `-o pipefail -c`). PowerShell or cmd are not.
 */
export function isPosixShell(instruction: ParsedInstruction): boolean {
  const program = (instruction.json?.[0] ?? '').split('/').pop() ?? '';
  return ['sh', 'bash', 'dash', 'ash', 'busybox'].includes(program);
}
