import { BuildContext } from '../../lib/dockerfile-analyzer/build-context';
import { cacheMounts, externalBase, instructionSummary, isPosixShell, NON_ROOT_IMAGE, ParsedDockerfile, ParsedInstruction } from '../../lib/dockerfile';
import { InstallCommand, isMisplacedMount, MANAGER_CACHES, managerLabel, mountCoversCache, PackageManager } from '../../lib/dockerfile-analyzer/install-commands';
import { readRunSteps, fetchedScripts } from '../../lib/dockerfile-analyzer/run-steps';
import { StageState, walkStage } from '../../lib/dockerfile';
import { SimpleCommand } from '../../lib/dockerfile-analyzer/shell-commands';
import { targetConflict } from '../../lib/dockerfile-analyzer/cache-target-conflicts';
import { DeclinedRewrite, PlannedRewrite } from './rewrite';
import { TextEdit } from './text-edits';
import { usesYarnBerry } from '../../lib/dockerfile-analyzer/yarn-release';

/** Variables and options that move or switch off each manager's cache: a mount on the default folder would miss it. */
const CACHE_SETTINGS: Partial<Record<PackageManager, { env: readonly string[]; options: RegExp }>> = {
  npm: { env: ['npm_config_cache', 'NPM_CONFIG_CACHE', 'HOME'], options: /^--cache(=|$)/ },
  pnpm: { env: ['npm_config_store_dir', 'NPM_CONFIG_STORE_DIR', 'PNPM_HOME', 'XDG_DATA_HOME', 'HOME'], options: /^--store-dir(=|$)/ },
  yarn: { env: ['YARN_CACHE_FOLDER', 'XDG_CACHE_HOME', 'HOME'], options: /^--cache-folder(=|$)/ },
  pip: { env: ['PIP_CACHE_DIR', 'PIP_NO_CACHE_DIR', 'XDG_CACHE_HOME', 'HOME'], options: /^--cache-dir(=|$)/ },
  uv: { env: ['UV_CACHE_DIR', 'UV_NO_CACHE', 'XDG_CACHE_HOME', 'HOME'], options: /^(--cache-dir|--no-cache|-n)(=|$)/ },
  poetry: { env: ['POETRY_CACHE_DIR', 'XDG_CACHE_HOME', 'HOME'], options: /^--no-cache$/ },
  apt: { env: [], options: /^-o$/ },
};

/** The values these variables have for root anyway; setting one to it moves nothing. */
const ROOT_DEFAULTS: Readonly<Record<string, string>> = {
  HOME: '/root',
  XDG_CACHE_HOME: '/root/.cache',
  PNPM_HOME: '/root/.local/share/pnpm',
  npm_config_cache: '/root/.npm',
  NPM_CONFIG_CACHE: '/root/.npm',
  PIP_CACHE_DIR: '/root/.cache/pip',
  UV_CACHE_DIR: '/root/.cache/uv',
  YARN_CACHE_FOLDER: '/usr/local/share/.cache/yarn',
};

/** Why a mount is not added automatically for the other managers. */
const NOT_AUTOMATIC: Partial<Record<PackageManager, string>> = {
  go: "Go's module cache is what the later build steps read: a mount only here would take the modules out of the image. Mount --mount=type=cache,target=/go/pkg/mod on this step and on every go build by hand.",
  maven: "~/.m2 is what the later build steps read: a mount only here would take the dependencies out of the image. Mount --mount=type=cache,target=/root/.m2 on this step and on every mvn step by hand.",
  gradle: "~/.gradle is what the later build steps read: mount --mount=type=cache,target=/root/.gradle on this step and on every gradle step by hand.",
  cargo: 'the cargo registry is what later build steps read: mount it on every cargo step by hand.',
  dotnet: 'the NuGet packages folder is what later build steps read: mount it on every dotnet step by hand.',
  bundler: "where gems are cached depends on the image's GEM_HOME and bundler settings; add the mount by hand.",
  composer: 'where composer caches depends on COMPOSER_HOME; add the mount by hand.',
  pipenv: "pipenv keeps its virtualenvs beside its cache; add a mount for pip's cache by hand.",
  bun: "add --mount=type=cache,target=/root/.bun/install/cache by hand (bun's cache layout is not modelled here).",
  dnf: 'dnf removes downloaded packages unless keepcache is set; add the mount together with that setting by hand.',
};

/**
 * Adds BuildKit cache mounts for the managers' download caches to installs that have none, and drops pip's
 * --no-cache-dir where it adds one (the mount keeps the cache out of the image anyway). Only the download caches are
 * mounted: what the install puts in place stays in the layer, so the image has the same files.
 */
export function planCacheMounts(dockerfile: ParsedDockerfile, context: BuildContext): { rewrites: PlannedRewrite[]; declined: DeclinedRewrite[] } {
  // Removing docker-clean reaches every later apt RUN of the stage and of stages built FROM it: first find which apt
  // RUNs get mounts, then plan again, declining where a later apt RUN would have none.
  const first = planAll(dockerfile, context, undefined);
  return planAll(dockerfile, context, new Set(first.aptMounted));
}

function planAll(
  dockerfile: ParsedDockerfile,
  context: BuildContext,
  aptMounted: ReadonlySet<ParsedInstruction> | undefined,
): { rewrites: PlannedRewrite[]; declined: DeclinedRewrite[]; aptMounted: ParsedInstruction[] } {
  const rewrites: PlannedRewrite[] = [];
  const declined: DeclinedRewrite[] = [];
  const aptRuns: ParsedInstruction[] = [];
  for (const stage of dockerfile.stages) {
    const steps = walkStage(dockerfile, stage.index);
    const changesShell = (index: number) => steps.slice(0, index).some((step) => step.instruction.keyword === 'SHELL' && !isPosixShell(step.instruction));
    steps.forEach(({ instruction, before }, index): void => {
      const runSteps = readRunSteps(instruction);
      if (runSteps.installs.length === 0) return;
      const mounts = cacheMounts(instruction);
      const decline = (reason: string): void => void declined.push({ kind: 'cache-mount', line: instruction.startLine + 1, reason });
      const distinct = dedupeByManager(runSteps.installs);
      const misplaced = distinct.flatMap((install) => mounts.filter((mount) => isMisplacedMount(install, mount.target, dockerfile.text)).map((mount) => ({ install, mount })));
      for (const { install, mount } of misplaced) {
        decline(`\`${managerLabel(install)}\`: its mount on ${mount.target} is not where Yarn 1 caches as root; change the target to /usr/local/share/.cache/yarn by hand.`);
      }
      const missing = distinct.filter((install) => MANAGER_CACHES[install.manager] && !mounts.some((mount) => mountCoversCache(install.manager, mount)));
      if (missing.length === 0) return;
      if (changesShell(index)) return decline('the SHELL of the stage is not a POSIX shell (sh, bash, dash, ash), so its RUN commands are not read as sh.');
      const user = userOf(dockerfile, stage.index, before);
      if (user !== 'root') {
        return decline(`${instructionSummary(instruction, dockerfile)} runs as ${user}: a cache mount belongs to root unless it gets uid= and the user's cache folder; add it by hand.`);
      }
      const targets: string[] = [];
      const managers: string[] = [];
      const emptying: SimpleCommand[] = [];
      let dropNoCacheDir = false;
      let apt = false;
      for (const install of missing) {
        const reason =
          whyNot(install, instruction, before, dockerfile, context) ??
          conflictReason(install, runSteps.commands, before.workdir ?? '/', emptying) ??
          (install.manager === 'apt' && aptMounted ? laterAptReason(dockerfile, stage.index, instruction, aptMounted) : undefined);
        if (reason) {
          decline(`\`${managerLabel(install)}\`: ${reason}`);
          continue;
        }
        const cache = MANAGER_CACHES[install.manager];
        for (const target of cache?.targets ?? []) {
          const flag = `--mount=type=cache,target=${target}${cache?.sharing ? `,sharing=${cache.sharing}` : ''}`;
          if (!targets.includes(flag)) targets.push(flag);
        }
        managers.push(`\`${managerLabel(install)}\``);
        if (install.manager === 'pip' && install.args.includes('--no-cache-dir')) dropNoCacheDir = true;
        if (install.manager === 'apt') apt = true;
      }
      if (targets.length === 0) return;
      const escape = dockerfile.escapeChar;
      let lines = dockerfile.lines.slice(instruction.startLine, instruction.endLine + 1);
      // Clean-ups of the mounted folders go: the mount already keeps those files out of the image, and left in they
      // would empty the cache on every build.
      const dropped = dropTrailingCommands(lines, escape, emptying);
      if (typeof dropped === 'string') return decline(dropped);
      lines = dropped;
      if (apt && instruction.argsStart) {
        // The whole apt rewrite: the official Debian and Ubuntu images delete downloaded packages after every install
        // (/etc/apt/apt.conf.d/docker-clean), which would leave the archives mount empty. Our generators do the same.
        const at = instruction.argsStart.line - instruction.startLine;
        lines[at] = `${lines[at].slice(0, instruction.argsStart.character)}${DOCKER_CLEAN_REMOVAL} && ${lines[at].slice(instruction.argsStart.character)}`;
      }
      lines = withMounts(dockerfile, instruction, lines, targets);
      if (apt) aptRuns.push(instruction);
      // A continuation line left with only the escape character goes too.
      const edited = dropNoCacheDir
        ? lines.map((line) => line.replace(/[ \t]+--no-cache-dir(?=[ \t]|$)/g, '')).filter((line, i) => i === 0 || line.trim() !== escape)
        : lines;
      const edits: TextEdit[] = [{ kind: 'replace', start: instruction.startLine, end: instruction.endLine, lines: edited }];
      const extras = [
        dropNoCacheDir ? '--no-cache-dir dropped' : '',
        apt ? 'docker-clean removed so downloaded packages stay in the cache' : '',
        emptying.length ? `${emptying.map((command) => `\`${command.text}\``).join(', ')} dropped (the mount keeps those files out of the image)` : '',
      ].filter(Boolean);
      rewrites.push({
        kind: 'cache-mount',
        edits,
        description: `${instructionSummary(instruction, dockerfile)}: cache mount for ${managers.join(', ')}${extras.length ? `; ${extras.join('; ')}` : ''}.`,
      });
    });
  }
  return { rewrites, declined, aptMounted: aptRuns };
}

/**
 * Why docker-clean cannot go in this RUN: a later apt install in the stage, or in a stage built FROM it, gets no
 * cache mount, and without docker-clean the packages it downloads would stay in its layer.
 */
function laterAptReason(dockerfile: ParsedDockerfile, stageIndex: number, instruction: ParsedInstruction, aptMounted: ReadonlySet<ParsedInstruction>): string | undefined {
  const later = dockerfile.instructions.find((other) => {
    if (other.startLine <= instruction.startLine || other.stage < 0 || !derivesFrom(dockerfile, other.stage, stageIndex) || aptMounted.has(other)) return false;
    if (cacheMounts(other).some((mount) => mountCoversCache('apt', mount))) return false;
    const steps = readRunSteps(other);
    return steps.installs.some((install) => install.manager === 'apt') || fetchedScripts(steps.commands).length > 0;
  });
  if (!later) return undefined;
  const script = fetchedScripts(readRunSteps(later).commands)[0];
  if (script && !readRunSteps(later).installs.some((install) => install.manager === 'apt')) {
    return `the RUN at line ${later.startLine + 1} runs a piped or downloaded script (\`${script.text}\`), which may install with apt (NodeSource's setup script does): with docker-clean removed here, which the mount needs, the packages it downloads would stay in its layer. Add the mounts and docker-clean's removal by hand if that script installs nothing with apt.`;
  }
  return `the RUN at line ${later.startLine + 1} also installs with apt and gets no cache mount (its own decline says why): with docker-clean removed here, which the mount needs, the packages it downloads would stay in its layer. Fix that RUN, then re-run.`;
}

function derivesFrom(dockerfile: ParsedDockerfile, stageIndex: number, ancestor: number): boolean {
  const seen = new Set<number>();
  for (let index: number | undefined = stageIndex; index !== undefined && !seen.has(index); index = dockerfile.stages[index]?.baseStage) {
    if (index === ancestor) return true;
    seen.add(index);
  }
  return false;
}

export const DOCKER_CLEAN_REMOVAL = 'rm -f /etc/apt/apt.conf.d/docker-clean';

/**
 * Why the RUN's commands rule a mount on the install's cache folders out: they remove, move or write into a folder
 * the mount would cover. Commands that only empty it are added to `emptying`, to be dropped.
 */
function conflictReason(install: InstallCommand, commands: readonly SimpleCommand[], workdir: string, emptying: SimpleCommand[]): string | undefined {
  for (const target of MANAGER_CACHES[install.manager]?.targets ?? []) {
    for (let rest = commands; ; ) {
      const conflict = targetConflict(rest, target, workdir);
      if (!conflict) break;
      const command = `\`${conflict.command.text}\``;
      if (conflict.kind === 'removes') {
        return `${command} removes or moves ${conflict.path}, ${conflict.path === target ? 'the folder' : 'a parent of the folder'} a cache mount would cover (${target}): removing a mount point fails with "Device or resource busy".`;
      }
      if (conflict.kind === 'writes') return `${command} writes into ${conflict.path}, inside the cache mount's folder (${target}): those files would not be in the image.`;
      if (!emptying.includes(conflict.command)) emptying.push(conflict.command);
      rest = rest.slice(rest.indexOf(conflict.command) + 1);
    }
  }
  return undefined;
}

/**
 * The RUN's lines without the given commands, which must come last in it, each after `&&` or `;`. A string saying
 * why when one of them is elsewhere (or not written on one line): it cannot be taken out without changing the RUN.
 */
function dropTrailingCommands(lines: readonly string[], escape: string, commands: readonly SimpleCommand[]): string[] | string {
  let text = lines.join('\n');
  const pending = [...commands];
  while (pending.length > 0) {
    const index = pending.findIndex((command) => trailingCommand(command, escape).test(text));
    if (index < 0) {
      return `\`${pending[0].text}\` empties the folder a cache mount would cover, and is not the last command of the RUN: the mount would keep nothing. Remove it and add the mount by hand.`;
    }
    text = text.replace(trailingCommand(pending[index], escape), '');
    pending.splice(index, 1);
  }
  return endAtLastCommand(text.split('\n'), escape);
}

/**
 * The RUN now ends at its last line with a command: that line loses its continuation, comment lines after it are
 * kept (as comments after the RUN) and blank ones go — left continued, the RUN would run into the next instruction.
 */
/** The text as a regular expression that matches it literally. */
function literal(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

function endAtLastCommand(lines: readonly string[], escape: string): string[] {
  const isBlank = (line: string) => line.trim() === '';
  const isComment = (line: string) => line.trim().startsWith('#');
  let last = lines.length - 1;
  while (last > 0 && (isBlank(lines[last]) || isComment(lines[last]))) last--;
  const ended = lines[last].replace(new RegExp(`[ \\t]*${literal(escape)}[ \\t]*$`), '');
  return [...lines.slice(0, last), ended, ...lines.slice(last + 1).filter((line) => !isBlank(line))];
}

/** The command at the end of a RUN's text with the `&&` or `;` before it, on its line or the one before (`… && \`). */
function trailingCommand(command: SimpleCommand, escape: string): RegExp {
  const e = literal(escape);
  const cmd = literal(command.text).replace(/\s+/g, '[ \\t]+');
  return new RegExp(`(?:[ \\t]*${e}[ \\t]*\\n)?[ \\t]*(?:&&|;)[ \\t]*(?:${e}[ \\t]*\\n[ \\t]*)?${cmd}[ \\t;]*$`);
}

function dedupeByManager(installs: readonly InstallCommand[]): InstallCommand[] {
  const seen = new Set<PackageManager>();
  return installs.filter((install) => {
    if (seen.has(install.manager)) return false;
    seen.add(install.manager);
    return true;
  });
}

function whyNot(install: InstallCommand, instruction: ParsedInstruction, before: StageState, dockerfile: ParsedDockerfile, context: BuildContext): string | undefined {
  const notAutomatic = NOT_AUTOMATIC[install.manager];
  if (notAutomatic) return notAutomatic;
  const settings = CACHE_SETTINGS[install.manager];
  if (!settings) return 'its cache folder is not known.';
  const variable = settings.env.find((name) => {
    const value = install.command.assignments[name] ?? before.vars[name];
    // Set to what it is anyway for root (erxes: PNPM_HOME="/root/.local/share/pnpm"): the cache stays where it is.
    return value !== undefined && value.replace(/\/+$/, '') !== ROOT_DEFAULTS[name];
  });
  if (variable) return `${variable} is set, which moves or turns off the cache; a mount on the default folder would miss it.`;
  const option = install.args.find((arg) => settings.options.test(arg));
  if (option) return `${option.split('=')[0]} on the command moves or turns off the cache; a mount on the default folder would miss it.`;
  if (instruction.json && install.args.includes('--no-cache-dir')) return '--no-cache-dir would have to be dropped from an exec-form RUN; do it by hand.';
  if (install.manager === 'yarn' && usesYarnBerry(context.files)) return 'Yarn 2+ (.yarnrc.yml, or packageManager in package.json) keeps its cache in the project (.yarn/cache) or as .yarnrc.yml says, not in Yarn 1\'s folder; add a mount there by hand.';
  if (install.manager === 'apt') return aptReason(instruction, dockerfile);
  return undefined;
}

/**
 * A lists mount hides the lists an earlier `apt-get update` left in the image, and keeps this RUN's out of it: only
 * a RUN that updates itself can have it, and only when no later RUN installs from the lists it would have left.
 */
function aptReason(instruction: ParsedInstruction, dockerfile: ParsedDockerfile): string | undefined {
  if (!readRunSteps(instruction).aptUpdate) {
    return 'the install reads package lists an earlier RUN fetched; a lists mount would hide them. Run apt-get update in this RUN first.';
  }
  const later = dockerfile.instructions.find((other) => {
    if (other.startLine <= instruction.startLine) return false;
    const steps = readRunSteps(other);
    return steps.installs.some((install) => install.manager === 'apt') && !steps.aptUpdate;
  });
  if (later) return `the RUN at line ${later.startLine + 1} installs with apt without updating: it needs the lists this step leaves in the image.`;
  return undefined;
}

/** 'root' when the RUN runs as root (an unknown base counts as root unless its name says otherwise). */
function userOf(dockerfile: ParsedDockerfile, stageIndex: number, state: StageState): string {
  if (state.user !== undefined) {
    const name = state.user.split(':')[0];
    return name === 'root' || name === '0' ? 'root' : state.user;
  }
  const base = externalBase(dockerfile, stageIndex);
  return NON_ROOT_IMAGE.test(base) ? `the base image's user (${base})` : 'root';
}

/** Longest first line written with the mounts inline; longer ones get a mount per continuation line. */
const MAX_INLINE = 100;

/**
 * The RUN's lines with the mount flags after the keyword: inline when the line stays short, else one per line,
 * continued with the file's escape character (shell form only: exec forms and here-documents stay on one line).
 */
function withMounts(dockerfile: ParsedDockerfile, instruction: ParsedInstruction, lines: readonly string[], flags: readonly string[]): string[] {
  const at = instruction.keywordEnd.character;
  const head = lines[0].slice(0, at);
  const rest = lines[0].slice(at);
  const inline = `${head} ${flags.join(' ')}${rest}`;
  if (inline.length <= MAX_INLINE || instruction.json || instruction.heredocs.length > 0) return [inline, ...lines.slice(1)];
  const indent = `${/^\s*/.exec(lines[0])?.[0] ?? ''}    `;
  const escape = dockerfile.escapeChar;
  const split = [`${head} ${flags[0]} ${escape}`, ...flags.slice(1).map((flag) => `${indent}${flag} ${escape}`)];
  // `RUN \` with the command on the next lines: the flags' continuation already leads there.
  if (rest.trim() !== '' && rest.trim() !== escape) split.push(`${indent}${rest.trimStart()}`);
  return [...split, ...lines.slice(1)];
}
