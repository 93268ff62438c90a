import { DEFAULT_NGINX_IMAGE } from '../../lib/default-images';
import { installRunLine, installToolLines, PackageManagerSetup } from '../../lib/package-manager';
import { PRUNED_DEPS_CONTEXT } from '../../lib/pruned-deps/layout';
import { NGINX_PORT } from './nginx-conf';

/** One COPY of the build stage: a file or folder of the context, copied to the same relative path under /app. */
export interface CopyStep {
  readonly paths: readonly string[];
}

export interface InDockerBuildSpec {
  readonly nodeImage: string;
  readonly packageManager: PackageManagerSetup;
  /** Manifests and lockfile: copied before the install. */
  readonly manifests: readonly string[];
  /** Build configuration (tsconfig*, vite.config.*, angular.json…), then shared code, then the app's source last. */
  readonly configFiles: readonly string[];
  readonly sharedSources: readonly string[];
  readonly appSources: readonly string[];
  readonly buildCommand: string;
  /** The build's output folder, context-relative (as it ends up under /app). */
  readonly outputDir: string;
  /**
   * A workspaces monorepo: the install reads the app's pruned manifest and lockfile from the `deps` named context
   * (which the executor derives) into the app's folder, instead of `manifests`; each workspace library the app uses
   * is copied to where that install linked it, after the install.
   */
  readonly prunedInstall?: PrunedInstallSpec;
}

export interface PrunedInstallSpec {
  /** The app's folder under /app (context-relative), where the install runs; "." for the workspace root. */
  readonly dir: string;
  readonly libraries: ReadonlyArray<{ readonly source: string; readonly destination: string }>;
}

export interface FrontendDockerfileSpec {
  readonly nginxImage?: string;
  /** Context-relative path of the generated nginx.conf. */
  readonly nginxConf: string;
  /** Build inside Docker; undefined when packaging an output built outside (by the Nx build target). */
  readonly build?: InDockerBuildSpec;
  /** With no in-Docker build: the context-relative folder of the Nx build's output. */
  readonly prebuiltOutput?: string;
}

/** Dockerfile.frontend: an optional Node build stage (manifests → install → config → source → build), then nginx. */
export function renderFrontendDockerfile(spec: FrontendDockerfileSpec): string {
  const lines: string[] = [];
  const build = spec.build;
  if (build?.prunedInstall) {
    const pruned = build.prunedInstall;
    // An integrated repo installs at the workspace root (dir "."), a workspace member in its own folder.
    const atRoot = pruned.dir === '.';
    lines.push(
      '# Layers go from what changes least to what changes most: the install first, from the manifest and lockfile',
      "# nx-buildkit prunes to this app's own dependencies (build context \"deps\"), so another app's dependency change",
      '# leaves it cached; build configuration next, shared libraries, source last. Served by nginx as non-root.',
      `FROM ${build.nodeImage} AS build`,
      'WORKDIR /app',
      ...installToolLines(build.packageManager),
      `COPY --from=${PRUNED_DEPS_CONTEXT} / ./${atRoot ? '' : `${pruned.dir}/`}`,
      installRunLine(build.packageManager, false, atRoot ? undefined : pruned.dir),
    );
    for (const path of build.configFiles) lines.push(copyLine([path]));
    for (const lib of pruned.libraries) lines.push(`COPY ${lib.source} ./${lib.destination}`);
    for (const path of build.appSources) lines.push(copyLine([path]));
    lines.push(`RUN ${atRoot ? '' : `cd ${pruned.dir} && `}${build.buildCommand}`, '');
  } else if (build) {
    lines.push(
      '# Layers go from what changes least to what changes most: dependency manifests and the install first, build',
      '# configuration next, source last, so a code-only change reuses the install layer. Served by nginx as non-root.',
      `FROM ${build.nodeImage} AS build`,
      'WORKDIR /app',
      copyLine(build.manifests),
      installRunLine(build.packageManager),
    );
    for (const group of [build.configFiles, build.sharedSources, build.appSources]) {
      for (const path of group) lines.push(copyLine([path]));
    }
    lines.push(`RUN ${build.buildCommand}`, '');
  } else {
    lines.push(
      '# Packages the output of the Nx build target (built and cached by Nx outside Docker): the image is nginx, its',
      '# configuration, then the built files last. Served by nginx as a non-root user.',
    );
  }
  lines.push(`FROM ${spec.nginxImage ?? DEFAULT_NGINX_IMAGE} AS runtime`, `COPY ${spec.nginxConf} /etc/nginx/nginx.conf`);
  if (build) lines.push(`COPY --from=build /app/${build.outputDir}/ /usr/share/nginx/html/`);
  else lines.push(`COPY ${spec.prebuiltOutput}/ /usr/share/nginx/html/`);
  lines.push(
    // The official nginx image's unprivileged user (uid 101).
    'USER nginx',
    `EXPOSE ${NGINX_PORT}`,
    'HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 \\',
    `  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:${NGINX_PORT}/"]`,
    'CMD ["nginx", "-g", "daemon off;"]',
  );
  return `${lines.join('\n')}\n`;
}

/** COPY lines that keep context-relative paths under /app: files of one folder share a line, folders get their own. */
function copyLine(paths: readonly string[]): string {
  const byDir = new Map<string, string[]>();
  const out: string[] = [];
  for (const path of paths) {
    if (path.endsWith('/')) {
      out.push(`COPY ${path} ./${path}`);
      continue;
    }
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
    if (!byDir.has(dir)) byDir.set(dir, []);
    byDir.get(dir)?.push(path);
  }
  for (const [dir, files] of byDir) out.push(`COPY ${files.join(' ')} ./${dir}`);
  return out.join('\n');
}
