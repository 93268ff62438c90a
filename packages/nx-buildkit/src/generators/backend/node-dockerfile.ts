import { installRunLine, PackageManagerSetup } from '../../lib/package-manager';

export interface NodeBackendDockerfileSpec {
  readonly baseImage: string;
  readonly packageManager: PackageManagerSetup;
  /**
   * Build-output mode (workspace-root context): the folder the project's Nx build writes, with the package.json and
   * lockfile Nx generates there. Source mode (project-root context) when undefined.
   */
  readonly buildOutput?: string;
  /** Source mode: root config files and source folders, in copy order. */
  readonly configFiles: readonly string[];
  readonly sourceDirs: readonly string[];
  readonly port: number;
  readonly healthcheckPath: string;
  readonly cmd: readonly string[];
}

/**
 * Dockerfile.prod for a Node service: production dependencies installed from the manifest and lockfile first (cache
 * mount), then the app last, running as the image's non-root `node` user.
 */
export function renderNodeBackendDockerfile(spec: NodeBackendDockerfileSpec): string {
  const pm = spec.packageManager;
  const from = spec.buildOutput ? `${spec.buildOutput}/` : '';
  const lines = [
    '# Layers go from what changes least to what changes most: base image, production dependencies (from the',
    '# manifest and lockfile only), then the application last, so a code-only change reuses the install layer.',
    `FROM ${spec.baseImage} AS dependencies`,
    'WORKDIR /app',
    `COPY ${from}package.json ${from}${pm.lockfile} ./`,
    // A project without dependencies gets no node_modules from the install; the runtime stage copies it regardless.
    `${installRunLine(pm, true)} && mkdir -p node_modules`,
    '',
    `FROM ${spec.baseImage} AS runtime`,
    'ENV NODE_ENV=production',
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
  lines.push(
    'USER node',
    `EXPOSE ${spec.port}`,
    'HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \\',
    `  CMD ["node", "-e", "fetch('http://127.0.0.1:${spec.port}${spec.healthcheckPath}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]`,
    `CMD ${JSON.stringify(spec.cmd)}`,
  );
  return `${lines.join('\n')}\n`;
}
