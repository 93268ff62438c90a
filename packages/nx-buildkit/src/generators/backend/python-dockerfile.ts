/** How a Python project declares its dependencies, in the order the generator prefers them. */
export type PythonDependencies =
  | { readonly kind: 'requirements'; readonly files: readonly string[]; readonly install: string }
  | { readonly kind: 'uv' }
  | { readonly kind: 'poetry' }
  | { readonly kind: 'pyproject' }
  | { readonly kind: 'none' };

export interface PythonDockerfileSpec {
  readonly baseImage: string;
  readonly systemPackages: readonly string[];
  readonly dependencies: PythonDependencies;
  /** Folders of configuration: copied first, they change least. */
  readonly configDirs: readonly string[];
  /** Entry and metadata files at the project root (main.py, pyproject.toml, …), in copy order. */
  readonly rootFiles: readonly string[];
  /** Source folders: copied last, they change most. */
  readonly sourceDirs: readonly string[];
  readonly user: string;
  readonly port: number;
  readonly healthcheckPath: string;
  readonly cmd: readonly string[];
}

const VENV = '/opt/venv';

/**
 * Dockerfile.prod for a Python service: base (system packages) → builder (dependencies into a venv) → runtime
 * (non-root; config, entry files, then source last). Every install uses a BuildKit cache mount.
 */
export function renderPythonDockerfile(spec: PythonDockerfileSpec): string {
  const lines: string[] = [
    '# Layers go from what changes least to what changes most: base image, system packages, dependencies, config,',
    '# then source last, so a code-only change rebuilds only the final COPY. Build with BuildKit (docker buildx).',
    `FROM ${spec.baseImage} AS base`,
    'ENV PYTHONDONTWRITEBYTECODE=1 \\',
    '    PYTHONUNBUFFERED=1 \\',
    '    PIP_DISABLE_PIP_VERSION_CHECK=1',
  ];
  if (spec.systemPackages.length) {
    lines.push(
      // docker-clean deletes downloaded .debs after install, which would empty the cache mount on every build.
      'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\',
      '    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\',
      '    rm -f /etc/apt/apt.conf.d/docker-clean \\',
      ' && apt-get update \\',
      ` && apt-get install -y --no-install-recommends ${spec.systemPackages.join(' ')}`,
    );
  }
  lines.push('', 'FROM base AS builder', 'WORKDIR /app', ...venvLines(spec.dependencies));
  lines.push(...dependencyInstall(spec.dependencies));

  const chown = `--chown=${spec.user}:${spec.user}`;
  lines.push(
    '',
    'FROM base AS runtime',
    `RUN groupadd --system ${spec.user} && useradd --system --gid ${spec.user} --create-home ${spec.user}`,
    'WORKDIR /app',
    `COPY --from=builder ${VENV} ${VENV}`,
    `ENV PATH="${VENV}/bin:$PATH"`,
  );
  for (const dir of spec.configDirs) lines.push(`COPY ${chown} ${dir}/ /app/${dir}/`);
  for (const file of spec.rootFiles) lines.push(`COPY ${chown} ${file} /app/`);
  for (const dir of spec.sourceDirs) lines.push(`COPY ${chown} ${dir}/ /app/${dir}/`);
  if (spec.sourceDirs.includes('src')) lines.push('ENV PYTHONPATH=/app/src');
  lines.push(
    `USER ${spec.user}`,
    `EXPOSE ${spec.port}`,
    `HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \\`,
    `  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${spec.port}${spec.healthcheckPath}', timeout=4)"]`,
    `CMD ${JSON.stringify(spec.cmd)}`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * The venv the runtime stage copies. Where pip alone installs (requirements, pyproject, nothing), it is made without
 * pip: ensurepip took ~4 s of every cold build (~10 s with four builds at once, B3) to put a pip in the runtime image
 * that nothing there runs; the base image's pip installs into the venv instead (PIP_PYTHON = pip's --python, 22.3+).
 * uv and poetry are installed into the venv by its own pip and run from it, as they always were.
 */
function venvLines(deps: PythonDependencies): string[] {
  if (deps.kind === 'uv' || deps.kind === 'poetry') return [`RUN python -m venv ${VENV}`, `ENV PATH="${VENV}/bin:$PATH"`];
  return [`RUN python -m venv --without-pip ${VENV}`, `ENV PATH="${VENV}/bin:$PATH" \\`, `    PIP_PYTHON=${VENV}/bin/python`];
}

function dependencyInstall(deps: PythonDependencies): string[] {
  const pipCache = '--mount=type=cache,target=/root/.cache/pip';
  switch (deps.kind) {
    case 'requirements':
      return [`COPY ${deps.files.join(' ')} ./`, `RUN ${pipCache} pip install -r ${deps.install}`];
    case 'uv':
      return [
        'COPY pyproject.toml uv.lock ./',
        `RUN ${pipCache} pip install uv`,
        `RUN --mount=type=cache,target=/root/.cache/uv \\`,
        `    UV_PROJECT_ENVIRONMENT=${VENV} uv sync --frozen --no-dev --no-install-project`,
      ];
    case 'poetry':
      return [
        'COPY pyproject.toml poetry.lock ./',
        `RUN ${pipCache} pip install poetry`,
        'RUN --mount=type=cache,target=/root/.cache/pypoetry \\',
        `    VIRTUAL_ENV=${VENV} poetry install --only main --no-root --no-interaction`,
      ];
    case 'pyproject':
      // Only the dependency list is installed here; the project itself is copied as source in the runtime stage.
      return [
        'COPY pyproject.toml ./',
        `RUN ${pipCache} python -c "import tomllib; print('\\n'.join(tomllib.load(open('pyproject.toml', 'rb')).get('project', {}).get('dependencies', [])))" > /tmp/requirements.txt \\`,
        ' && pip install -r /tmp/requirements.txt',
      ];
    case 'none':
      return [];
  }
}
