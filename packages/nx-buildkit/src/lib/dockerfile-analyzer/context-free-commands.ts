import { programName, SimpleCommand } from './shell-commands';

/**
 * Commands that may run before the sources are copied because they read nothing from the build context: what comes
 * around an install in the same RUN (`apt-get update`, `rm -rf /var/lib/apt/lists/*`, `corepack enable`, …).
 * Anything not listed here may read the copied files, and the RUN it is in stays where it is.
 */
export function isContextFree(command: SimpleCommand, copyDest: string): boolean {
  const words = command.words;
  const program = programName(words[0]);
  // Writing into a file may create one in the destination the COPY fills later.
  if (command.redirects.some((target) => !/^(\/dev\/|&)/.test(target))) return false;
  const outsideDest = (path: string) => path.startsWith('/') && !isWithin(path, copyDest) && !isWithin(copyDest, path);
  switch (program) {
    case 'true':
    case ':':
    case 'set':
    case 'export':
    case 'echo':
      return true;
    case 'apt-get':
    case 'apt':
    case 'aptitude':
      return words.slice(1).some((word) => ['update', 'clean', 'autoclean', 'autoremove', 'upgrade', 'dist-upgrade'].includes(word));
    case 'rm':
      return words.slice(1).filter((word) => !word.startsWith('-')).every(outsideDest);
    case 'corepack':
      return ['enable', 'prepare', 'install'].includes(words[1] ?? '') && !words.slice(2).some((word) => word.startsWith('.') || word.includes('/'));
    case 'npm':
    case 'yarn':
    case 'pnpm':
      // Settings and cache housekeeping only.
      return (words[1] === 'config' && words[2] === 'set') || (words[1] === 'cache' && (words[2] === 'clean' || words[2] === 'verify'));
    case 'test':
    case '[':
    case '[[':
      // String and number tests read nothing; file tests (`-f package.json`) read the context.
      return !words.slice(1).some((word, i, rest) => /^-[edfrwxsLhbcpSOGN]$/.test(rest[i - 1] ?? '') && !word.startsWith('/'));
    case 'useradd':
    case 'groupadd':
    case 'adduser':
    case 'addgroup':
      return true;
    default:
      if (/^python[0-9.]*$/.test(program) && words[1] === '-m' && words[2] === 'venv') return words.slice(3).filter((w) => !w.startsWith('-')).every(outsideDest);
      return false;
  }
}

export function isWithin(path: string, folder: string): boolean {
  return folder === '/' || path === folder || path.startsWith(`${folder}/`);
}
