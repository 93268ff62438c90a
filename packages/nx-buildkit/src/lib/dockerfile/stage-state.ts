import { posix } from 'node:path';
import { ParsedDockerfile, ParsedInstruction } from './model';
import { resolveVariables } from './variables';


/** What is in effect when an instruction runs: working directory, user and the variables with known values. */
export interface StageState {
  /**
   * The working directory: absolute after a WORKDIR, '' for the base image's own (unknown), relative when a relative
   * WORKDIR was applied to it; undefined when a WORKDIR used a variable whose value is not known.
   */
  readonly workdir: string | undefined;
  /** The last USER of the stage or the stages it starts FROM; undefined when the base image decides. */
  readonly user?: string;
  /** ENV and ARG values in scope (ARG without a value: undefined). */
  readonly vars: Readonly<Record<string, string | undefined>>;
  /** Names set by ENV in this stage or inherited stages (not ARG). */
  readonly envNames: readonly string[];
}

export interface StageStep {
  readonly instruction: ParsedInstruction;
  /** The state before the instruction runs. */
  readonly before: StageState;
}

const INITIAL: StageState = { workdir: '', vars: {}, envNames: [] };

/** The stage's instructions with the state each one sees, inheriting from the stage it starts FROM. */
export function walkStage(dockerfile: ParsedDockerfile, stageIndex: number, seen: ReadonlySet<number> = new Set()): StageStep[] {
  const stage = dockerfile.stages[stageIndex];
  let state = INITIAL;
  if (stage.baseStage !== undefined && !seen.has(stage.baseStage)) {
    const inherited = finalState(dockerfile, stage.baseStage, new Set([...seen, stageIndex]));
    // ARGs do not cross stages; ENV, WORKDIR and USER do.
    state = { ...inherited, vars: Object.fromEntries(inherited.envNames.map((name) => [name, inherited.vars[name]])) };
  }
  const steps: StageStep[] = [];
  for (const instruction of stage.instructions) {
    steps.push({ instruction, before: state });
    state = apply(state, instruction, dockerfile);
  }
  return steps;
}

export function finalState(dockerfile: ParsedDockerfile, stageIndex: number, seen: ReadonlySet<number> = new Set()): StageState {
  const steps = walkStage(dockerfile, stageIndex, seen);
  if (steps.length === 0) return walkStageInitial(dockerfile, stageIndex, seen);
  const last = steps[steps.length - 1];
  return apply(last.before, last.instruction, dockerfile);
}

function walkStageInitial(dockerfile: ParsedDockerfile, stageIndex: number, seen: ReadonlySet<number>): StageState {
  const stage = dockerfile.stages[stageIndex];
  if (stage.baseStage === undefined || seen.has(stage.baseStage)) return INITIAL;
  return finalState(dockerfile, stage.baseStage, new Set([...seen, stageIndex]));
}

function apply(state: StageState, instruction: ParsedInstruction, dockerfile: Pick<ParsedDockerfile, 'globalArgs' | 'buildArgs'>): StageState {
  switch (instruction.keyword) {
    case 'WORKDIR': {
      const raw = instruction.args.trim();
      const value = resolveVariables(raw, state.vars);
      if (value === undefined || state.workdir === undefined) return { ...state, workdir: undefined };
      return { ...state, workdir: value.startsWith('/') ? posix.normalize(value) : posix.join(state.workdir || '', value) };
    }
    case 'USER':
      return { ...state, user: resolveVariables(instruction.args.trim(), state.vars) ?? instruction.args.trim() };
    case 'ENV': {
      const vars = { ...state.vars };
      for (const { name, value } of instruction.properties) vars[name] = resolveVariables(value ?? '', state.vars);
      return { ...state, vars, envNames: [...new Set([...state.envNames, ...instruction.properties.map((p) => p.name)])] };
    }
    case 'ARG': {
      const vars = { ...state.vars };
      for (const { name, value } of instruction.properties) {
        // As BuildKit: a build arg wins; else the default; an ARG without default takes the global ARG's value.
        // A global ARG is visible in a stage only once the stage redeclares it.
        if (name in dockerfile.buildArgs) vars[name] = dockerfile.buildArgs[name];
        else vars[name] = value !== undefined ? resolveVariables(value, state.vars) : dockerfile.globalArgs[name];
      }
      return { ...state, vars };
    }
    default:
      return state;
  }
}

/**
 * Stands for the base image's working directory when no WORKDIR set it: relative paths of COPY and RUN resolve
 * against the same unknown folder, so they can still be compared with each other (it is often /).
 */
export const BASE_WORKDIR = '/(the base image working directory)';

/** A path as it is in the image: absolute stays, relative joins the working directory. */
export function resolveInImage(path: string, workdir: string): string {
  const joined = path.startsWith('/') ? path : posix.join(workdir.startsWith('/') ? workdir : posix.join(BASE_WORKDIR, workdir), path);
  const normalized = posix.normalize(joined);
  return normalized.length > 1 ? normalized.replace(/\/+$/, '') : normalized;
}
