import { installRunLine, installToolLines, PackageManagerSetup } from '../../lib/package-manager';
import { PRUNED_DEPS_CONTEXT } from '../../lib/pruned-deps/layout';

export interface NodeBackendDockerfileSpec {
  readonly baseImage: string;
  readonly packageManager: PackageManagerSetup;
  /**
   * Build-output mode (workspace-root context): the folder the project's Nx build writes, with the package.json and
   * lockfile Nx generates there. Source mode (project-root context) when undefined.
   */
  readonly buildOutput?: string;
  /**
   * Build-output mode when the build writes no package.json: production dependencies come from the app's manifest and
   * lockfile that the executor prunes into the `deps` named context (Nx's createPackageJson/createLockFile).
   */
  readonly installFromPrunedContext?: boolean;
  /** Source mode: root config files and source folders, in copy order. */
  readonly configFiles: readonly string[];
  readonly sourceDirs: readonly string[];
  readonly port: number;
  readonly healthcheckPath: string;
  readonly cmd: readonly string[];
  /**
   * A workspaces monorepo (workspace-root context): production dependencies are installed from the app's pruned
   * manifest and lockfile in the `deps` named context; `configFiles` and `sourceDirs` are then context-relative
   * paths of the project's files (copied to the app's folder, /app), and each library the app uses is copied to
   * where the install linked it.
   */
  readonly prunedInstall?: { readonly projectRoot: string; readonly libraries: ReadonlyArray<{ readonly source: string; readonly destination: string }> };
}

function renderPrunedNodeBackend(spec: NodeBackendDockerfileSpec, pruned: NonNullable<NodeBackendDockerfileSpec['prunedInstall']>): string {
  const pm = spec.packageManager;
  const own = (path: string) => path.slice(pruned.projectRoot.length + 1);
  const lines = [
    '# Layers go from what changes least to what changes most: production dependencies, installed from the manifest',
    "# and lockfile nx-buildkit prunes to this app's own (build context \"deps\", so another app's dependency change",
    '# leaves them cached), then the workspace libraries it uses, then the application last.',
    `FROM ${spec.baseImage} AS dependencies`,
    'WORKDIR /app',
    ...installToolLines(pm),
    `COPY --from=${PRUNED_DEPS_CONTEXT} / ./`,
    `${installRunLine(pm, true)} && mkdir -p node_modules`,
    '',
    `FROM ${spec.baseImage} AS runtime`,
    'ENV NODE_ENV=production',
    ...listenLines(spec),
    'WORKDIR /app',
    // The whole folder: pnpm links each library's own dependencies into workspace_modules/<name>/node_modules.
    'COPY --from=dependencies --chown=node:node /app ./',
  ];
  for (const lib of pruned.libraries) lines.push(`COPY --chown=node:node ${lib.source} ./${lib.destination}`);
  for (const file of spec.configFiles) lines.push(`COPY --chown=node:node ${file} ./`);
  for (const dir of spec.sourceDirs) lines.push(`COPY --chown=node:node ${dir}/ ./${own(dir)}/`);
  return `${[...lines, ...runtimeTail(spec)].join('\n')}\n`;
}

/**
 * Nx's Node apps listen on `process.env.HOST ?? 'localhost'` and `process.env.PORT`: without HOST, nothing outside
 * the container (a published port, the orchestrator) reaches them.
 */
function listenLines(spec: NodeBackendDockerfileSpec): string[] {
  return ['# Listen on every interface of the container (Nx apps read HOST and PORT), on the port EXPOSE declares.', `ENV HOST=0.0.0.0 PORT=${spec.port}`];
}

function runtimeTail(spec: NodeBackendDockerfileSpec): string[] {
  return [
    'USER node',
    `EXPOSE ${spec.port}`,
    'HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \\',
    `  CMD ["node", "-e", "fetch('http://127.0.0.1:${spec.port}${spec.healthcheckPath}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]`,
    `CMD ${JSON.stringify(spec.cmd)}`,
  ];
}

/**
 * Dockerfile.prod for a Node service: production dependencies installed from the manifest and lockfile first (cache
 * mount), then the app last, running as the image's non-root `node` user.
 */
export function renderNodeBackendDockerfile(spec: NodeBackendDockerfileSpec): string {
  if (spec.prunedInstall) return renderPrunedNodeBackend(spec, spec.prunedInstall);
  const pm = spec.packageManager;
  const from = spec.buildOutput ? `${spec.buildOutput}/` : '';
  const pruned = spec.buildOutput !== undefined && spec.installFromPrunedContext === true;
  const lines = [
    '# Layers go from what changes least to what changes most: base image, production dependencies (from the',
    pruned
      ? "# manifest and lockfile nx-buildkit prunes to this app's own, build context \"deps\"), then the application last."
      : '# manifest and lockfile only), then the application last, so a code-only change reuses the install layer.',
    `FROM ${spec.baseImage} AS dependencies`,
    'WORKDIR /app',
    ...(pruned ? [...installToolLines(pm), `COPY --from=${PRUNED_DEPS_CONTEXT} / ./`] : [`COPY ${from}package.json ${from}${pm.lockfile} ./`]),
    // A project without dependencies gets no node_modules from the install; the runtime stage copies it regardless.
    `${installRunLine(pm, true)} && mkdir -p node_modules`,
    '',
    `FROM ${spec.baseImage} AS runtime`,
    'ENV NODE_ENV=production',
    ...listenLines(spec),
    'WORKDIR /app',
    'COPY --from=dependencies --chown=node:node /app/node_modules ./node_modules',
  ];
  if (spec.buildOutput) {
    lines.push(`COPY --chown=node:node ${spec.buildOutput}/ ./`);
  } else {
    lines.push(`COPY --chown=node:node package.json ./`);
    for (const file of spec.configFiles) lines.push(`COPY --chown=node:node ${file} ./`);
    for (const dir of spec.sourceDirs) lines.push(`COPY --chown=node:node ${dir}/ ./${dir}/`);
  }
  lines.push(...runtimeTail(spec));
  return `${lines.join('\n')}\n`;
}
