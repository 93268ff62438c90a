import { createBuildContext } from '../../lib/dockerfile-analyzer/build-context';
import { memoryContextFiles } from '../../../test/memory-context-files';
import { parseDockerfile } from '../../lib/dockerfile';
import { planCacheMounts } from './add-cache-mounts';
import { applyEdits } from './text-edits';

function mounts(text: string, files: Record<string, string> = {}): { text: string; declined: string[] } {
  const parsed = parseDockerfile(text);
  const plan = planCacheMounts(parsed, createBuildContext(memoryContextFiles(files), { text: '' }));
  return { text: applyEdits(parsed.lines, plan.rewrites.flatMap((r) => r.edits)).join('\n'), declined: plan.declined.map((d) => `${d.line}: ${d.reason}`) };
}

describe('planCacheMounts', () => {
  it('adds the manager cache mount right after RUN', () => {
    expect(mounts('FROM node\nRUN npm ci\n').text).toBe('FROM node\nRUN --mount=type=cache,target=/root/.npm npm ci\n');
  });

  it('mounts only download caches (poetry virtualenvs stay in the image)', () => {
    expect(mounts('FROM python\nRUN poetry install --no-root\n').text).toBe(
      'FROM python\nRUN --mount=type=cache,target=/root/.cache/pypoetry/cache \\\n    --mount=type=cache,target=/root/.cache/pypoetry/artifacts \\\n    poetry install --no-root\n',
    );
  });

  it('drops pip --no-cache-dir, anywhere in the RUN, and puts long flag lists on lines of their own', () => {
    expect(mounts('FROM python\nRUN pip install \\\n    --no-cache-dir \\\n    -r requirements.txt\n').text).toBe(
      'FROM python\nRUN --mount=type=cache,target=/root/.cache/pip pip install \\\n    -r requirements.txt\n',
    );
    expect(mounts('FROM debian\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n').text).toBe(
      'FROM debian\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\\n    rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update && apt-get install -y --no-install-recommends curl\n',
    );
  });

  it('adds no empty continuation line when the command starts on the next line', () => {
    expect(mounts('FROM debian\nRUN \\\n    apt-get update && apt-get install -y --no-install-recommends curl\n').text).toBe(
      'FROM debian\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\\n    rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update && apt-get install -y --no-install-recommends curl\n',
    );
  });

  it('continues lines with the escape character of the file', () => {
    expect(mounts('# escape=`\nFROM debian\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n').text).toContain('sharing=locked `\n    rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update');
  });

  it('puts the mount before a here-document', () => {
    expect(mounts('FROM node\nRUN <<EOF\nnpm ci\nEOF\n').text).toBe('FROM node\nRUN --mount=type=cache,target=/root/.npm <<EOF\nnpm ci\nEOF\n');
  });

  it.each([
    ['a non-root user', 'FROM node\nUSER node\nRUN npm ci\n', {}, 'runs as node'],
    ['a non-root base image', 'FROM example/node-unprivileged\nRUN npm ci\n', {}, "base image's user"],
    ['a moved cache', 'FROM python\nENV PIP_CACHE_DIR=/cache\nRUN pip install x\n', {}, 'PIP_CACHE_DIR is set'],
    ['a cache option', 'FROM node\nRUN npm ci --cache /tmp/c\n', {}, '--cache on the command moves or turns off the cache'],
    ['yarn 2+', 'FROM node\nRUN yarn install --immutable\n', { '.yarnrc.yml': '' }, 'Yarn 2+'],
    ['apt without update in the RUN', 'FROM debian\nRUN apt-get update\nRUN apt-get install -y curl\n', {}, 'earlier RUN fetched'],
    ['apt lists a later RUN needs', 'FROM debian\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y git\n', {}, 'line 3 installs with apt without updating'],
    ['go (the cache is what builds read)', 'FROM golang\nRUN go mod download\n', {}, "Go's module cache"],
    ['bundler', 'FROM ruby\nRUN bundle install\n', {}, 'GEM_HOME'],
  ])('declines %s', (_name, text, files, reason) => {
    const result = mounts(text, files);
    expect(result.text).toBe(text);
    expect(result.declined.join('\n')).toContain(reason);
  });

  it('leaves installs that have their mount alone', () => {
    expect(mounts('FROM node\nRUN --mount=type=cache,target=/root/.npm npm ci\n')).toEqual({ text: 'FROM node\nRUN --mount=type=cache,target=/root/.npm npm ci\n', declined: [] });
  });
});

describe('planCacheMounts on RUNs that touch the cache folders', () => {
  const plan = (text: string) => {
    const dockerfile = parseDockerfile(text);
    return planCacheMounts(dockerfile, createBuildContext(memoryContextFiles({}), { text: '' }));
  };

  it('declines where the RUN removes the folder or a parent (a mount point cannot be removed)', () => {
    const { rewrites, declined } = plan('FROM python:3.11\nRUN apt-get update && apt-get install -y x && apt clean && rm -rf /var/lib/apt\nRUN pip install flask && rm -rf /root/.cache/pip\n');
    expect(rewrites).toEqual([]);
    expect(declined.map((d) => [d.line, d.reason])).toEqual([
      [2, expect.stringContaining('`rm -rf /var/lib/apt` removes or moves /var/lib/apt, a parent of the folder')],
      [3, expect.stringContaining('Device or resource busy')],
    ]);
  });

  it('the apt rewrite is whole: mounts, docker-clean removed, and the trailing clean-ups dropped', () => {
    const { rewrites } = plan('FROM debian\nRUN apt-get update \\\n    && apt-get install -y curl \\\n    && apt-get clean \\\n    && rm -rf /var/lib/apt/lists/*\n');
    expect(rewrites).toHaveLength(1);
    expect(rewrites[0].edits[0]).toMatchObject({
      lines: [
        'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\',
        '    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\',
        '    rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update \\',
        '    && apt-get install -y curl',
      ],
    });
    expect(rewrites[0].description).toContain('docker-clean removed');
  });

  it('ends the RUN at its last command when the dropped clean-ups had a comment line between them (saleor)', () => {
    const { rewrites } = plan('FROM debian\nRUN apt-get -y update \\\n  && apt-get install -y gettext \\\n  # Cleanup apt cache\n  && apt-get clean \\\n  && rm -rf /var/lib/apt/lists/*\n\nWORKDIR /app\n');
    expect(rewrites[0].edits[0]).toMatchObject({
      lines: [
        'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\',
        '    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\',
        '    rm -f /etc/apt/apt.conf.d/docker-clean && apt-get -y update \\',
        '  && apt-get install -y gettext',
        '  # Cleanup apt cache',
      ],
    });
  });

  it('declines when a clean-up is not the last command (it cannot be taken out), or a later apt RUN gets no mount', () => {
    const { rewrites, declined } = plan('FROM debian\nRUN apt-get update && apt-get install -y git\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/* && echo done\n');
    expect(rewrites).toEqual([]);
    expect(declined.map((d) => [d.line, d.reason])).toEqual([
      [2, expect.stringContaining('the RUN at line 3 also installs with apt and gets no cache mount')],
      [3, expect.stringContaining('is not the last command of the RUN')],
    ]);
  });

  it('declines when a later RUN of the stage pipes a script to a shell (it may run apt without the mount), not in other stages', () => {
    const text = 'FROM debian AS tools\nRUN apt-get update && apt-get install -y tree\nFROM debian\nRUN apt-get update && apt-get install -y curl\nRUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -\n';
    const { rewrites, declined } = plan(text);
    expect(rewrites.map((r) => r.edits[0])).toEqual([expect.objectContaining({ kind: 'replace', start: 1 })]);
    expect(declined.map((d) => [d.line, d.reason])).toEqual([[4, expect.stringContaining('the RUN at line 5 runs a piped or downloaded script (`bash -`)')]]);
  });
});

describe('planCacheMounts and the shell', () => {
  it('adds mounts under a bash SHELL (vaultwarden): mount flags do not depend on the shell', () => {
    expect(mounts('FROM python\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN pip install flask\n').text).toContain('RUN --mount=type=cache,target=/root/.cache/pip pip install flask');
  });

  it('declines under a shell that is not POSIX', () => {
    expect(mounts('FROM python\nSHELL ["pwsh", "-Command"]\nRUN pip install flask\n').declined).toEqual([expect.stringContaining('not a POSIX shell')]);
  });
});

describe('planCacheMounts and variables set to their defaults', () => {
  it('adds the pnpm mount when PNPM_HOME is set to where it is for root anyway (erxes)', () => {
    expect(mounts('FROM node:20\nENV PNPM_HOME="/root/.local/share/pnpm"\nRUN pnpm add -g turbo@2.0.0\n').text).toContain('--mount=type=cache,target=/root/.local/share/pnpm/store');
  });

  it('still declines when PNPM_HOME moves it (the pnpm docs idiom PNPM_HOME=/pnpm)', () => {
    expect(mounts('FROM node:20\nENV PNPM_HOME="/pnpm"\nRUN pnpm add -g turbo@2.0.0\n').declined).toEqual([expect.stringContaining('PNPM_HOME is set')]);
  });
});
