import { parseDockerfile } from '../../dockerfile';
import { releaseFileBeforeInstall } from './release-file-before-install';

const check = (text: string) => releaseFileBeforeInstall.check({ dockerfile: parseDockerfile(text) });

describe('cache-order/release-file-before-install', () => {
  it('reports a changelog copied before the install, naming the file and the install', () => {
    const [hit] = check('FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json CHANGELOG.md ./\nRUN npm ci\nCOPY . .\n');
    expect(hit.line).toBe(2);
    expect(hit.message).toContain('CHANGELOG.md');
    expect(hit.message).toContain('`npm ci` (line 4)');
  });

  it.each([
    ['version.txt', 'FROM python:3.12\nCOPY version.txt requirements.txt ./\nRUN pip install -r requirements.txt\n'],
    ['a version file before a dependencies-only install', 'FROM python:3.12\nCOPY requirements.txt version.txt ./\nRUN uv pip install --system -r requirements.txt\n'],
    ['a lower-case changelog in a folder', 'FROM node:20\nCOPY docs/changelog.md ./docs/\nRUN npm ci\n'],
  ])('reports %s', (_name, text) => {
    expect(check(text)).toHaveLength(1);
  });

  it.each([
    ['the changelog copied after the install', 'FROM node:20\nCOPY package.json ./\nRUN npm ci\nCOPY CHANGELOG.md ./\n'],
    ['no install after it', 'FROM node:20\nCOPY CHANGELOG.md ./\nRUN node build.js\n'],
    ['an install in another stage', 'FROM node:20 AS a\nCOPY CHANGELOG.md ./\nFROM node:20\nRUN npm ci\n'],
    ['a file that only looks alike', 'FROM node:20\nCOPY changelog-generator.js ./\nRUN npm ci\n'],
    ['a version file before installing the project itself (uv pip)', 'FROM python:3.12\nCOPY pyproject.toml version.txt ./\nCOPY src ./src\nRUN uv pip install --system --no-deps .\n'],
    ['a version file before installing the project itself (pip)', 'FROM python:3.12\nCOPY setup.py version.txt ./\nRUN pip install --no-deps .\n'],
    ['a version file before a poetry install of the project', 'FROM python:3.12\nCOPY pyproject.toml poetry.lock version.txt ./\nRUN poetry install\n'],
  ])('does not report %s', (_name, text) => {
    expect(check(text)).toEqual([]);
  });
});
