import type { TargetConfiguration } from '@nx/devkit';
import { ignoreFileCandidates } from '../lib/context';
import { TARGET_TECHNOLOGIES } from './project-config';

export const LINT_EXECUTOR = 'nx-buildkit:lint';

export interface LintTargetSource {
  readonly projectName: string;
  /** Workspace-relative POSIX path, `.` for the workspace root. */
  readonly projectRoot: string;
  readonly targetName: string;
  /** The Dockerfile and context of the build target it sits beside (workspace-relative). */
  readonly dockerfile: string;
  readonly context: string;
  /** Literal COPY/ADD sources (context paths): whether each exists decides context/copy-source-missing. */
  readonly sources?: readonly string[];
}

/**
 * The docker-lint target of one Dockerfile. Its result depends on the Dockerfile, the ignore file that applies (both
 * candidates are inputs, so creating one re-runs it) and whether the context holds node_modules or .git, which git
 * ignores and Nx cannot hash as files: a runtime input lists them.
 */
export function dockerLintTarget(source: LintTargetSource): TargetConfiguration {
  const { projectRoot, dockerfile, context } = source;
  const ignoreCandidates = ignoreFileCandidates(context, dockerfile);
  return {
    executor: LINT_EXECUTOR,
    options: { dockerfile, context },
    inputs: [
      ...new Set([dockerfile, ...ignoreCandidates].map((path) => asInput(path, projectRoot))),
      { runtime: heavyFolderProbe(context) },
      ...(probedSources(source.sources).length ? [{ runtime: sourceProbe(context, probedSources(source.sources)) }] : []),
    ],
    outputs: [],
    cache: true,
    metadata: {
      technologies: [...TARGET_TECHNOLOGIES],
      description: `Checks ${dockerfile} for layer-cache order and build hygiene (context: ${context === '.' ? 'the workspace root' : context}); fails on errors.`,
      help: {
        command: `npx nx run ${source.projectName}:${source.targetName} --help`,
        example: { options: { failOn: 'warning', format: 'json', rules: { 'security/final-stage-root': 'off' } } },
      },
    },
  };
}

/**
 * A command whose output changes when node_modules or .git appears in or leaves the context, where the
 * context/sends-heavy-folder rule looks. Nx runs runtime inputs from the workspace root.
 */
export function heavyFolderProbe(context: string): string {
  const script =
    "const f=require('fs'),p=require('path'),c=process.argv[1],h=['node_modules','.git'],o=[];" +
    "try{for(const d of ['.',...f.readdirSync(c)])for(const n of h)if(!h.includes(d)&&f.existsSync(p.join(c,d,n)))o.push(p.posix.join(d,n))}catch{}" +
    "console.log(o.join(' '))";
  return `node -e "${script}" ${JSON.stringify(context)}`;
}

/**
 * A command whose output changes when a COPY source appears in or leaves the context: a folder a script makes before
 * the build is often ignored by git, so no file input of Nx sees it come. Nx runs runtime inputs from the workspace
 * root, through a shell: only paths of plain characters are probed (a source of other characters is left out).
 */
export function sourceProbe(context: string, sources: readonly string[]): string {
  const script = "const f=require('fs'),p=require('path'),[c,...s]=process.argv.slice(1);console.log(s.filter((x)=>f.existsSync(p.join(c,x))).join(' '))";
  return `node -e "${script}" ${[context, ...sources].map((arg) => JSON.stringify(arg)).join(' ')}`;
}

function probedSources(sources: readonly string[] | undefined): string[] {
  return (sources ?? []).filter((path) => /^[\w.@+/-]+$/.test(path) && !path.startsWith('-'));
}

/** The docker-lint target that checks every Dockerfile of a project with several. */
export function aggregateLintTarget(projectName: string, targetNames: readonly string[]): TargetConfiguration {
  return {
    executor: 'nx:noop',
    dependsOn: [...targetNames],
    cache: false,
    metadata: {
      technologies: [...TARGET_TECHNOLOGIES],
      description: `Checks all ${targetNames.length} Dockerfiles of the project (${targetNames.join(', ')}).`,
      help: { command: `npx nx run ${projectName}:${targetNames[0]} --help`, example: { options: { failOn: 'warning' } } },
    },
  };
}

function asInput(path: string, projectRoot: string): string {
  if (projectRoot === '.') return `{projectRoot}/${path}`;
  return path === projectRoot || path.startsWith(`${projectRoot}/`) ? `{projectRoot}/${path.slice(projectRoot.length + 1)}` : `{workspaceRoot}/${path}`;
}
