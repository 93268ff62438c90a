import { ParsedInstruction, resolveInImage, runCommandText } from '../dockerfile';
import { detectInstall, InstallCommand, isAptUpdate } from './install-commands';
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
