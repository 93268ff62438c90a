import { posix } from 'node:path';
import { parseDockerfile, ParsedDockerfile, ParsedInstruction } from './model';
import { walkStage } from './stage-state';
import { resolveVariables } from './variables';

export interface ContextRead {
  /**
   * The source as a POSIX path relative to the build context (`./` and a leading `/` removed, `.` for the context
   * root). It may hold glob characters (`COPY apps/*\/src …`). Undefined when the source uses a variable whose value
   * is not known without the build (an ARG without default, a global ARG the stage does not redeclare).
   */
  readonly path?: string;
  /** The source as written. */
  readonly raw: string;
  readonly instruction: 'COPY' | 'ADD' | 'RUN --mount';
  /** 0-based line of the instruction. */
  readonly line: number;
  readonly stage: number;
}

/**
 * What a Dockerfile reads from its build context: COPY and ADD sources and `RUN --mount=type=bind` sources, with the
 * variables each stage has in scope (ARG and ENV, build args overriding ARG defaults, as BuildKit scopes them).
 * Left out, as they read nothing from the context: `--from` (another stage, an image or a named context), ADD of
 * URLs and git repositories, here-documents.
 */
export function listContextReads(dockerfile: string | ParsedDockerfile, buildArgs: Readonly<Record<string, string>> = {}): ContextRead[] {
  const model = typeof dockerfile === 'string' ? parseDockerfile(dockerfile, buildArgs) : dockerfile;
  const reads: ContextRead[] = [];
  for (const stage of model.stages) {
    for (const { instruction, before } of walkStage(model, stage.index)) {
      for (const { raw, kind } of sourcesOf(instruction)) {
        const resolved = resolveVariables(raw, before.vars);
        reads.push({ path: resolved === undefined ? undefined : normalizeSource(resolved), raw, instruction: kind, line: instruction.startLine, stage: stage.index });
      }
    }
  }
  return reads;
}

function sourcesOf(instruction: ParsedInstruction): Array<{ raw: string; kind: ContextRead['instruction'] }> {
  const { keyword } = instruction;
  if (keyword === 'COPY' || keyword === 'ADD') {
    if (instruction.flags.some((flag) => flag.name === 'from') || instruction.heredocs.length > 0) return [];
    const words = instruction.json ?? instruction.words;
    if (words.some((word) => word.startsWith('<<'))) return [];
    return words
      .slice(0, -1)
      .filter((raw) => !(keyword === 'ADD' && /^([a-z][a-z0-9+.-]*:\/\/|git@)/i.test(raw)))
      .map((raw) => ({ raw, kind: keyword }));
  }
  if (keyword === 'RUN') {
    return instruction.flags
      .filter((flag) => flag.name === 'mount' && (flag.options.type ?? 'bind') === 'bind' && !('from' in flag.options))
      .map((flag) => ({ raw: flag.options.source ?? flag.options.src ?? '.', kind: 'RUN --mount' as const }));
  }
  return [];
}

/** `./src/` → `src`, `/` → `.`, as BuildKit resolves sources against the context root. */
export function normalizeSource(source: string): string {
  const normalized = posix.normalize(source.replace(/^\/+/, '')).replace(/\/+$/, '');
  return normalized === '' || normalized === './' ? '.' : normalized;
}
