import { detectInstall } from './install-commands';
import { splitShellCommands } from './shell-commands';
import { installNeeds, InstallNeedsResult } from './install-needs';

function needs(command: string, files: Record<string, string>, vars: Record<string, string> = {}): InstallNeedsResult {
  const [simple] = splitShellCommands(command);
  const install = detectInstall(simple);
  if (!install) throw new Error(`not an install: ${command}`);
  const dirs = new Set(Object.keys(files).flatMap((path) => path.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  return installNeeds(install, { vars, read: (path) => files[path.replace(/^\.\//, '')], isDirectory: (path) => dirs.has(path) });
}

const PKG = JSON.stringify({ name: 'x', dependencies: { ms: '2.1.3' } });

describe('installNeeds', () => {
  it('npm ci reads the manifest, the lockfile and .npmrc, and writes node_modules', () => {
    expect(needs('npm ci', { 'package.json': PKG, 'package-lock.json': '{}' })).toEqual({
      needs: { reads: ['package.json', 'package-lock.json', 'npm-shrinkwrap.json', '.npmrc'], writes: ['node_modules'] },
    });
  });

  it('npm install is fine without a lockfile, declined with one (it may rewrite it)', () => {
    expect(needs('npm install', { 'package.json': PKG })).toHaveProperty('needs');
    expect(needs('npm install', { 'package.json': PKG, 'package-lock.json': '{}' })).toEqual({ decline: expect.stringContaining('may rewrite package-lock.json') });
  });

  const READS_SOURCES = [
    'a postinstall script',
    'a local dependency',
    'pip install .',
    '-e in a requirements file',
    'uv sync that installs the project',
    'poetry install with the root',
    'go.mod with a local replace',
    'a Gemfile that reads a gemspec',
    'composer with scripts',
    'cargo',
    'a local .deb',
  ];

  it.each([
    ['a postinstall script', 'npm ci', { 'package.json': JSON.stringify({ scripts: { postinstall: 'node setup.js' } }) }, '"postinstall" script'],
    ['workspaces', 'npm ci', { 'package.json': JSON.stringify({ workspaces: ['apps/*'] }) }, 'declares workspaces'],
    ['a local dependency', 'npm ci', { 'package.json': JSON.stringify({ dependencies: { lib: 'file:../lib' } }) }, 'local path (file:../lib)'],
    ['no package.json', 'npm ci', {}, 'no package.json'],
    ['package names', 'npm install express', { 'package.json': PKG }, 'names packages'],
    ['yarn without a frozen lockfile', 'yarn install', { 'package.json': PKG, 'yarn.lock': '' }, '--frozen-lockfile'],
    ['yarn 2+', 'yarn install --immutable', { 'package.json': PKG, '.yarnrc.yml': '' }, 'Yarn 2+'],
    ['a pnpm workspace', 'pnpm install --frozen-lockfile', { 'package.json': PKG, 'pnpm-workspace.yaml': '' }, 'workspace'],
    ['pip install .', 'pip install .', {}, 'installs . from the sources'],
    ['-e in a requirements file', 'pip install -r requirements.txt', { 'requirements.txt': '-e .\n' }, 'editable'],
    ['a missing requirements file', 'pip install -r reqs/prod.txt', {}, 'reads reqs/prod.txt, which is not in the build context'],
    ['uv sync that installs the project', 'uv sync --locked', { 'pyproject.toml': '' }, '--no-install-project'],
    ['uv sync that may rewrite uv.lock', 'uv sync --no-install-project', { 'pyproject.toml': '' }, '--locked'],
    ['poetry install with the root', 'poetry install', { 'pyproject.toml': '' }, '--no-root'],
    ['go.mod with a local replace', 'go mod download', { 'go.mod': 'replace a => ./a\n', 'go.sum': '' }, 'local folder'],
    ['bundler that may rewrite Gemfile.lock', 'bundle install', { Gemfile: "gem 'x'\n", 'Gemfile.lock': '' }, 'BUNDLE_FROZEN'],
    ['a Gemfile that reads a gemspec', 'bundle install --frozen', { Gemfile: 'gemspec\n' }, 'gemspec'],
    ['a multi-module pom', 'mvn dependency:go-offline', { 'pom.xml': '<project><modules><module>a</module></modules></project>' }, '<modules>'],
    ['composer with scripts', 'composer install', { 'composer.json': '{}' }, '--no-scripts --no-autoloader'],
    ['gradle', 'gradle dependencies', {}, 'Gradle build scripts'],
    ['cargo', 'cargo fetch', {}, 'cargo reads'],
    ['a local .deb', 'apt-get install -y ./tool.deb', {}, 'local file ./tool.deb'],
  ])('declines %s', (name, command, files, reason) => {
    // Declines because the install reads the project's own sources are marked: lint then does not ask for a split.
    const readsSources = READS_SOURCES.includes(name) ? { readsSources: true } : {};
    expect(needs(command, files)).toEqual({ decline: expect.stringContaining(reason), ...readsSources });
  });

  it.each([
    ['npm install -g corepack', {}],
    ['npm i --global pnpm@9.12.0', {}],
    ['pnpm add -g turbo@2.0.0', {}],
  ])('%s reads nothing from the context: a global install does not touch package.json', (command, files) => {
    expect(needs(command, files)).toEqual({ needs: { reads: [], writes: [] } });
  });

  it('a global install of a local path reads the sources', () => {
    expect(needs('npm install -g ./tools/cli', {})).toEqual({ decline: expect.stringContaining('./tools/cli'), readsSources: true });
  });

  it('pip reads requirement files and what they include, relative to each file, and local wheel folders', () => {
    const result = needs('pip install --no-index --find-links=wheels -r requirements.txt -c constraints.txt', {
      'requirements.txt': '# top\n-r requirements/base.txt\n',
      'requirements/base.txt': 'greet==1.0.0\n-c ../constraints.txt\n',
      'constraints.txt': 'greet<2\n',
    });
    expect(result).toEqual({ needs: { reads: ['wheels', 'requirements.txt', 'constraints.txt', 'requirements/base.txt'], writes: ['.venv', 'venv'] } });
  });

  it('accepts the frozen forms', () => {
    expect(needs('bundle install', { Gemfile: "gem 'x'\n", 'Gemfile.lock': '' }, { BUNDLE_FROZEN: 'true' })).toHaveProperty('needs');
    expect(needs('uv sync --locked --no-install-project', { 'pyproject.toml': '[project]\n' })).toHaveProperty('needs');
    expect(needs('poetry install --no-root', { 'pyproject.toml': '' })).toHaveProperty('needs');
    expect(needs('go mod download', { 'go.mod': 'module a\n', 'go.sum': '' })).toEqual({ needs: { reads: ['go.mod', 'go.sum'], writes: [] } });
    expect(needs('./mvnw dependency:go-offline', { 'pom.xml': '<project/>' })).toEqual({ needs: { reads: ['pom.xml', 'mvnw', '.mvn'], writes: [] } });
    expect(needs('apt-get install -y curl', {})).toEqual({ needs: { reads: [], writes: [] } });
  });
});

describe('installNeeds: install scripts that read no sources', () => {
  it.each([['husky install'], ['husky'], ['npx only-allow pnpm'], ['is-ci || husky install']])('"%s" is declined for the move, but not as reading the sources', (script) => {
    const [command] = splitShellCommands('npm ci');
    const install = detectInstall(command);
    if (!install) throw new Error('not an install');
    const result = installNeeds(install, { vars: {}, read: (path) => (path === 'package.json' ? JSON.stringify({ scripts: { prepare: script } }) : undefined), isDirectory: () => false });
    expect(result).toEqual({ decline: expect.stringContaining(`"prepare" script`) });
  });
});
