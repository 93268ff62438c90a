import { posix } from 'node:path';
import { programName, SimpleCommand } from './shell-commands';
import { isWithin } from './context-free-commands';

/**
 * What a RUN does to the folder a cache mount would cover. A mount point cannot be removed or moved ("Device or
 * resource busy"), what a command writes into it is not in the image, and a command that empties it makes the mount
 * keep nothing — so a mount is only added where the RUN does none of these, or (for the last) where the emptying
 * command can be dropped because the mount already keeps those files out of the image.
 */
export type TargetConflict =
  | { readonly kind: 'removes'; readonly command: SimpleCommand; readonly path: string }
  | { readonly kind: 'writes'; readonly command: SimpleCommand; readonly path: string }
  | { readonly kind: 'empties'; readonly command: SimpleCommand; readonly path: string };

/** The first thing the commands do to the target folder, if anything; `workdir` resolves relative paths, as root. */
export function targetConflict(commands: readonly SimpleCommand[], target: string, workdir: string): TargetConflict | undefined {
  for (const command of commands) {
    const conflict = commandConflict(command, target, workdir);
    if (conflict) return conflict;
  }
  return undefined;
}

function commandConflict(command: SimpleCommand, target: string, workdir: string): TargetConflict | undefined {
  const program = programName(command.words[0] ?? '');
  const operands = command.words.slice(1).filter((word) => !word.startsWith('-'));
  const paths = (words: readonly string[]) => words.map((word) => toImagePath(word, workdir)).filter((path): path is { path: string; contents: boolean } => path !== undefined);
  for (const redirect of command.redirects) {
    const path = toImagePath(redirect, workdir);
    if (path && touches(path.path, target)) return { kind: 'writes', command, path: path.path };
  }
  switch (program) {
    case 'rm':
    case 'rmdir':
    case 'unlink':
      for (const { path, contents } of paths(operands)) {
        if (isWithin(target, path) && !(contents && path === target)) return { kind: 'removes', command, path };
        if (isWithin(path, target)) return { kind: 'empties', command, path };
      }
      return undefined;
    case 'mv':
      for (const { path } of paths(operands)) if (touches(path, target)) return { kind: 'removes', command, path };
      return undefined;
    case 'cp':
    case 'ln':
    case 'install':
    case 'rsync': {
      // Into the folder or below it; a copy into a parent (`cp -r conf /root`) is not known to reach it.
      const dest = paths(operands.slice(-1))[0];
      return operands.length >= 2 && dest && isWithin(dest.path, target) ? { kind: 'writes', command, path: dest.path } : undefined;
    }
    case 'tar': {
      const at = command.words.findIndex((word) => word === '-C' || word === '--directory');
      const dir = at >= 0 ? paths([command.words[at + 1] ?? ''])[0] : undefined;
      // An archive extracted into / (paperless-ngx) may hold anything; only one extracted into the folder is known to write there.
      return dir && isWithin(dir.path, target) ? { kind: 'writes', command, path: dir.path } : undefined;
    }
    case 'find': {
      const deletes = command.words.some((word) => word === '-delete') || command.words.some((word, i) => word === '-exec' && programName(command.words[i + 1] ?? '') === 'rm');
      const start = paths(operands.slice(0, 1))[0];
      if (!deletes || !start) return undefined;
      return isWithin(start.path, target) || isWithin(target, start.path) ? { kind: 'empties', command, path: start.path } : undefined;
    }
    case 'apt-get':
    case 'apt':
      // `apt-get clean` deletes /var/cache/apt/archives/*.deb and the *.bin caches.
      return ['clean', 'autoclean'].includes(operands[0] ?? '') && isWithin('/var/cache/apt/archives', target) ? { kind: 'empties', command, path: '/var/cache/apt/archives' } : undefined;
    default:
      return undefined;
  }
}

/** The path is the target, inside it, or one of its parents. */
function touches(path: string, target: string): boolean {
  return isWithin(path, target) || isWithin(target, path);
}

/**
 * A command word as an image path: `~` and `$HOME` are root's home, relative paths are below the working
 * directory; a trailing glob (`lists/*`) means the folder's contents. Undefined when it cannot be told
 * (other variables, globs in the middle).
 */
function toImagePath(word: string, workdir: string): { path: string; contents: boolean } | undefined {
  let path = word.replace(/^~(?=\/|$)/, '/root').replace(/^\$\{?HOME\}?(?=\/|$)/, '/root');
  if (path.includes('$')) return undefined;
  let contents = false;
  const glob = /\/(\*|\.\*|\*\.[A-Za-z0-9]+|\.\[!.\]\*)$/.exec(path);
  if (glob) {
    contents = true;
    path = path.slice(0, glob.index) || '/';
  }
  if (/[*?[]/.test(path)) return undefined;
  const absolute = path.startsWith('/') ? path : posix.join(workdir || '/', path);
  const normalized = posix.normalize(absolute).replace(/(.)\/+$/, '$1');
  return { path: normalized, contents };
}
