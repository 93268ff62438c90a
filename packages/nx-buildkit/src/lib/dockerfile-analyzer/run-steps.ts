import { ParsedInstruction, runCommandText } from '../dockerfile';
import { detectInstall, InstallCommand, isAptUpdate } from './install-commands';
import { SimpleCommand, splitShellCommands } from './shell-commands';

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
