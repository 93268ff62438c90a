import { externalBase, finalImageStages, finalState, NON_ROOT_IMAGE, ParsedDockerfile, ParsedStage, walkStage } from '../../dockerfile';
import { programName, SimpleCommand } from '../shell-commands';
import { DockerfileRule, RuleHit } from '../rule';
import { readRunSteps } from '../run-steps';

export const finalStageRoot: DockerfileRule = {
  id: 'security/final-stage-root',
  severity: 'warning',
  description: 'The final stage runs as root: no USER, or USER root/0.',
  check({ dockerfile }) {
    const last = dockerfile.stages[dockerfile.stages.length - 1];
    if (!last) return [];
    const user = finalState(dockerfile, last.index).user;
    const base = externalBase(dockerfile, last.index);
    const created = lastCreatedUser(dockerfile);
    if (user === undefined) {
      if (NON_ROOT_IMAGE.test(base) || base === '') return [];
      return [noUserHit(last, base, created, created && privilegeDropTool(dockerfile))];
    }
    if (!isRoot(user)) return [];
    const lastUser = [...walkStage(dockerfile, last.index)].reverse().find((step) => step.instruction.keyword === 'USER');
    return [
      {
        line: (lastUser?.instruction ?? last.from).startLine,
        message: `The final stage runs as ${user}: a process that escapes the application has root in the container.`,
        fix: `Switch to an unprivileged user at the end: ${userHint(created, base)}.`,
      },
    ];
  },
};

/**
 * A final stage without USER. When it creates a user, the missing switch is what to fix, so it says exactly that;
 * unless a privilege-dropping tool is installed, whose entrypoint may switch at run time (mealie's gosu, s6-overlay).
 */
function noUserHit(last: ParsedStage, base: string, created: CreatedUser | undefined, dropTool: string | undefined): RuleHit {
  const stage = last.name ?? base;
  if (created && dropTool) {
    return {
      line: last.from.startLine,
      message: `The final stage (${stage}) creates user ${created.name} (line ${created.line + 1}) but sets no USER: the container starts as root and only drops to ${created.name} if its entrypoint uses ${dropTool}.`,
      fix: `Add USER ${created.name} after the last step that needs root, or make sure the entrypoint drops to it with ${dropTool}.`,
    };
  }
  if (created) {
    return {
      line: last.from.startLine,
      message: `The final stage (${stage}) creates user ${created.name} (line ${created.line + 1}) but never switches to it, so the container runs as root: add USER ${created.name}.`,
      fix: `Add USER ${created.name} after the last step that needs root.`,
    };
  }
  return {
    line: last.from.startLine,
    message: `The final stage (${stage}) sets no USER, so the container runs as root unless its base image switched user.`,
    fix: isNodeImage(base)
      ? 'Add USER node (the image has it) after the last step that needs root.'
      : 'Create a user with useradd/adduser and add USER <name> after the last step that needs root.',
  };
}

/** Which USER to suggest: one the Dockerfile creates, else the node images' own, else a placeholder. */
function userHint(created: CreatedUser | undefined, base: string): string {
  if (created) return `USER ${created.name} (created at line ${created.line + 1})`;
  if (isNodeImage(base)) return 'USER node (the image has it)';
  return 'USER <name> after creating one with useradd/adduser';
}

function isNodeImage(base: string): boolean {
  return /(^|\/)node:/.test(base);
}

function isRoot(user: string): boolean {
  const name = user.split(':')[0].trim();
  return name === 'root' || name === '0';
}

/** Tools an entrypoint uses to start as root and then run the application as another user. */
const PRIVILEGE_DROP_TOOLS = /\b(gosu|su-exec|setpriv|s6-setuidgid|s6-overlay|runuser)\b/;

/** The privilege-dropping tool the final image's stages mention (install or use), if any. */
function privilegeDropTool(dockerfile: ParsedDockerfile): string | undefined {
  for (const stage of finalImageStages(dockerfile)) {
    for (const instruction of stage.instructions) {
      const text = dockerfile.lines.slice(instruction.startLine, instruction.endLine + 1).join('\n');
      const found = PRIVILEGE_DROP_TOOLS.exec(text);
      if (found) return found[1];
    }
  }
  return undefined;
}

interface CreatedUser {
  readonly name: string;
  /** 0-based line of the RUN that creates it. */
  readonly line: number;
}

/** The last user a RUN of the final image creates (useradd, adduser), in its own stages or those it starts FROM. */
function lastCreatedUser(dockerfile: ParsedDockerfile): CreatedUser | undefined {
  let created: CreatedUser | undefined;
  for (const stage of finalImageStages(dockerfile)) {
    for (const instruction of stage.instructions) {
      for (const command of readRunSteps(instruction).commands) {
        const name = createdUserName(command);
        if (name !== undefined) created = { name, line: instruction.startLine };
      }
    }
  }
  return created;
}

/**
 * Short options of useradd, Debian's adduser and BusyBox's adduser that take a value (`-g saleor`, `-s /bin/sh`, `-h
 * /app`); the others are flags (`-r`, `-m`, `-D`, `-S`).
 */
const SHORT_OPTIONS_WITH_VALUE = new Set([...'bcdefgGhkKpPRsuZ']);
const LONG_OPTIONS_WITH_VALUE = new Set([
  '--base-dir', '--comment', '--home-dir', '--home', '--expiredate', '--inactive', '--gid', '--groups', '--ingroup', '--gecos', '--skel', '--key',
  '--password', '--root', '--prefix', '--shell', '--uid', '--selinux-user', '--firstuid', '--lastuid', '--firstgid', '--lastgid', '--conf',
]);

/** The login `useradd -r -g saleor saleor` or `adduser -D -u 1000 app` creates; undefined for other commands. */
function createdUserName(command: SimpleCommand): string | undefined {
  if (!['useradd', 'adduser'].includes(programName(command.words[0] ?? ''))) return undefined;
  const args = command.words.slice(1);
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (word === '--') return plainName(args[i + 1]);
    if (word.startsWith('--')) {
      if (!word.includes('=') && LONG_OPTIONS_WITH_VALUE.has(word)) i++;
    } else if (word.startsWith('-') && word.length > 1) {
      // A cluster such as `-ms /bin/bash`: the first letter that takes a value takes the rest of the word or the next.
      const valueAt = [...word.slice(1)].findIndex((letter) => SHORT_OPTIONS_WITH_VALUE.has(letter));
      if (valueAt === word.length - 2) i++;
    } else {
      return plainName(word);
    }
  }
  return undefined;
}

/** A login written out; a shell variable (`useradd $APP_USER`) cannot be named in a USER suggestion. */
function plainName(word: string | undefined): string | undefined {
  return word !== undefined && !word.includes('$') ? word : undefined;
}
