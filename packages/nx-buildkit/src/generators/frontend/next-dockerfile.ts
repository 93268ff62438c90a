/**
 * Dockerfile.frontend for a Next.js app: it packages the standalone output (`output: 'standalone'`) that the
 * project's Nx build writes. That output is a Node server with only the node_modules Next traced for it, so the image
 * installs nothing; `.next/static` and `public` are not part of it and are copied beside the server, as Next's own
 * example does.
 */
export interface NextDockerfileSpec {
  readonly nodeImage: string;
  /** Context-relative folder of the standalone output (`<app>/.next/standalone`). */
  readonly standaloneDir: string;
  /**
   * Where the app sits inside the standalone output: the app's path from the tracing root (the workspace root in a
   * monorepo, so `apps/site`), `.` for an app that is its own root. server.js is written there.
   */
  readonly appDirInStandalone: string;
  /** Next's distDir, relative to the app (`.next` unless next.config names another): the server reads it there. */
  readonly distDir: string;
  /** Context-relative folders of the build's static assets (`<app>/.next/static`) and the app's `public`, if any. */
  readonly staticDir: string;
  readonly publicDir?: string;
  readonly port: number;
}

export function renderNextDockerfile(spec: NextDockerfileSpec): string {
  const app = spec.appDirInStandalone;
  const at = (path: string) => (app === '.' ? `./${path}` : `./${app}/${path}`);
  const lines = [
    "# Packages Next.js's standalone output, written by the project's Nx build (next build, output: 'standalone'): a",
    '# server with only the dependencies Next traced for it. Layers go from what changes least to what changes most:',
    '# traced dependencies, public files, then the server and its build, the hashed static assets last.',
    `FROM ${spec.nodeImage} AS runtime`,
    'ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1',
    // Next's server binds HOSTNAME:PORT, and Docker sets HOSTNAME to the container's ID.
    '# Next listens on HOSTNAME and PORT; Docker sets HOSTNAME to the container ID, so it is set to every interface.',
    `ENV HOSTNAME=0.0.0.0 PORT=${spec.port}`,
    'WORKDIR /app',
    `COPY --chown=node:node ${spec.standaloneDir}/node_modules/ ./node_modules/`,
    ...(spec.publicDir ? [`COPY --chown=node:node ${spec.publicDir}/ ${at('public/')}`] : []),
    // Each part but node_modules, which the first COPY brought: copying the whole folder again would double its bytes.
    ...(app === '.'
      ? [`COPY --chown=node:node ${spec.standaloneDir}/server.js ${spec.standaloneDir}/package.json ./`, `COPY --chown=node:node ${spec.standaloneDir}/${spec.distDir}/ ./${spec.distDir}/`]
      : [`COPY --chown=node:node ${spec.standaloneDir}/${app}/ ./${app}/`]),
    `COPY --chown=node:node ${spec.staticDir}/ ${at(`${spec.distDir}/static/`)}`,
    'USER node',
    `EXPOSE ${spec.port}`,
    'HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \\',
    `  CMD ["node", "-e", "fetch('http://127.0.0.1:${spec.port}/').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]`,
    `CMD ${JSON.stringify(['node', app === '.' ? 'server.js' : `${app}/server.js`])}`,
  ];
  return `${lines.join('\n')}\n`;
}
