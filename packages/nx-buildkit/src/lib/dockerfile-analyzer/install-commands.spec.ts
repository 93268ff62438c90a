import { detectInstall, isAptUpdate, managerLabel } from './install-commands';
import { splitShellCommands } from './shell-commands';

const detect = (text: string) => {
  const [command] = splitShellCommands(text);
  const install = detectInstall(command);
  return install && { manager: install.manager, action: install.action, args: install.args };
};

describe('detectInstall', () => {
  it.each([
    ['npm ci --omit=dev', { manager: 'npm', action: 'ci', args: ['--omit=dev'] }],
    ['npm i', { manager: 'npm', action: 'install', args: [] }],
    ['npm install -g pnpm', { manager: 'npm', action: 'install', args: ['-g', 'pnpm'] }],
    ['pnpm install --frozen-lockfile', { manager: 'pnpm', action: 'install', args: ['--frozen-lockfile'] }],
    ['yarn', { manager: 'yarn', action: 'install', args: [] }],
    ['yarn --frozen-lockfile', { manager: 'yarn', action: 'install', args: ['--frozen-lockfile'] }],
    ['corepack pnpm install', { manager: 'pnpm', action: 'install', args: [] }],
    ['pip install -r requirements.txt', { manager: 'pip', action: 'install', args: ['-r', 'requirements.txt'] }],
    ['/opt/venv/bin/pip3 install flask', { manager: 'pip', action: 'install', args: ['flask'] }],
    ['python3 -m pip install --upgrade pip', { manager: 'pip', action: 'install', args: ['--upgrade', 'pip'] }],
    ['uv pip install -r req.txt', { manager: 'uv', action: 'pip install', args: ['-r', 'req.txt'] }],
    ['uv sync --frozen', { manager: 'uv', action: 'sync', args: ['--frozen'] }],
    ['poetry install --no-root', { manager: 'poetry', action: 'install', args: ['--no-root'] }],
    ['pipenv install --deploy', { manager: 'pipenv', action: 'install', args: ['--deploy'] }],
    ['apt-get install -y curl', { manager: 'apt', action: 'install', args: ['-y', 'curl'] }],
    ['apt install -y curl', { manager: 'apt', action: 'install', args: ['-y', 'curl'] }],
    ['apk add --no-cache curl', { manager: 'apk', action: 'add', args: ['--no-cache', 'curl'] }],
    ['go mod download', { manager: 'go', action: 'mod download', args: [] }],
    ['bundle install --jobs 4', { manager: 'bundler', action: 'install', args: ['--jobs', '4'] }],
    ['mvn -B dependency:go-offline', { manager: 'maven', action: 'dependency:go-offline', args: ['-B', 'dependency:go-offline'] }],
    ['./mvnw dependency:resolve', { manager: 'maven', action: 'dependency:resolve', args: ['dependency:resolve'] }],
    ['gradle dependencies --no-daemon', { manager: 'gradle', action: 'dependencies', args: ['dependencies', '--no-daemon'] }],
    ['composer install --no-dev', { manager: 'composer', action: 'install', args: ['--no-dev'] }],
    ['cargo fetch', { manager: 'cargo', action: 'fetch', args: [] }],
    ['dotnet restore', { manager: 'dotnet', action: 'restore', args: [] }],
  ])('%s', (text, expected) => {
    expect(detect(text)).toEqual(expected);
  });

  it.each(['npm run build', 'npm test', 'yarn build', 'pip --version', 'python main.py', 'go build ./...', 'mvn package', 'gradle bootJar', 'apt-get update', 'cargo build'])(
    '%s is not an install',
    (text) => {
      expect(detect(text)).toBeUndefined();
    },
  );
});

describe('isAptUpdate', () => {
  it('recognises apt-get update and apt update only', () => {
    const [a, b, c] = splitShellCommands('apt-get -q update; apt update; apt-get upgrade');
    expect([isAptUpdate(a), isAptUpdate(b), isAptUpdate(c)]).toEqual([true, true, false]);
  });
});

describe('managerLabel', () => {
  it('names the program and what it does', () => {
    const [command] = splitShellCommands('python3 -m pip install x');
    expect(managerLabel(detectInstall(command)!)).toBe('pip install');
  });
});

describe('detectInstall: Yarn 2+ focus', () => {
  it('reads `yarn workspaces focus` as an install', () => {
    const [command] = splitShellCommands('yarn workspaces focus @app/web --production');
    expect(detectInstall(command)).toMatchObject({ manager: 'yarn', action: 'workspaces focus', args: ['@app/web', '--production'] });
  });
});
