import { ParsedInstruction, resolveInImage, runCommandText } from '../dockerfile';
import { detectInstall, InstallCommand, isAptUpdate } from './install-commands';
import { isContextFree } from './context-free-commands';
import { programName, SimpleCommand, splitShellCommands } from './shell-commands';

/** What one RUN does, as far as cache ordering cares. */
export interface RunSteps {
  readonly commands: readonly SimpleCommand[];
  readonly installs: readonly InstallCommand[];
  /** Runs `apt-get update`. */
  readonly aptUpdate: boolean;
}

/** Reads a RUN's commands (here-document bodies and exec forms included); empty for other instructions. */
export function readRunSteps(instruction: ParsedInstruction): RunSteps {
  if (instruction.keyword !== 'RUN') return { commands: [], installs: [], aptUpdate: false };
  const commands = splitShellCommands(runCommandText(instruction));
  const installs = commands.map(detectInstall).filter((install): install is InstallCommand => install !== undefined);
  return { commands, installs, aptUpdate: commands.some(isAptUpdate) };
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);
const FETCHERS = new Set(['curl', 'wget']);

/**
 * The commands that run a fetched script, which may install anything (with apt too): a shell fed through a pipe
 * (`curl -fsSL https://deb.nodesource.com/setup_20.x | bash -`), `sh -c "$(curl …)"`, and a shell or `*.sh` run on
 * a file when the same RUN downloads something (`curl -o setup.sh … && bash setup.sh`). Scripts that came from the
 * context (`./build.sh`, `. venv/bin/activate`) are not counted: nothing says they install system packages.
 */
export function fetchedScripts(commands: readonly SimpleCommand[]): SimpleCommand[] {
  const fetches = commands.some((command) => FETCHERS.has(programName(command.words[0] ?? '')));
  return commands.filter((command) => {
    const program = programName(command.words[0] ?? '');
    const args = command.words.slice(1);
    if (SHELLS.has(program)) {
      if (command.after === '|') return true;
      const inline = args.indexOf('-c');
      if (inline >= 0) return /\$\(\s*(curl|wget)\b|`\s*(curl|wget)\b/.test(args[inline + 1] ?? '');
      return fetches && args.some((arg) => !arg.startsWith('-'));
    }
    return fetches && (program === 'source' || program === '.' || /\.sh$/.test(program));
  });
}

/**
 * The folder a `cd <dir>` moves the rest of the RUN to (`cd clickhouse && npm ci`); undefined for any other command
 * and for a `cd` whose target is not one literal path.
 */
export function changedDirectory(command: SimpleCommand, cwd: string): string | undefined {
  if (programName(command.words[0] ?? '') !== 'cd' || command.words.length !== 2) return undefined;
  const target = command.words[1];
  if (target.includes('$') || target === '-') return undefined;
  return resolveInImage(target, cwd);
}

/** Commands that neither build nor generate files from what a COPY brought. */
const NOT_A_BUILD = new Set(['cd', 'mkdir', 'chown', 'chmod', 'chgrp', 'ls', 'ln', 'cat', 'pwd', 'test', '[', 'printf', 'touch', 'which', 'id', 'whoami', 'false', 'node', 'python', 'python3']);

/** A command that builds or generates files (`npm run build`, `node script.js`): it may read anything the stage holds, its environment included. */
export function isBuildStep(command: SimpleCommand, copyDest: string): boolean {
  const program = programName(command.words[0]);
  // `node -v` / `python --version`: only with no script to run.
  if ((program === 'node' || /^python[0-9.]*$/.test(program)) && command.words.slice(1).some((word) => !word.startsWith('-'))) return true;
  return !NOT_A_BUILD.has(program) && !isContextFree(command, copyDest);
}
