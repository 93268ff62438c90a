import { splitShellCommands } from './shell-commands';
import { isContextFree } from './context-free-commands';

const free = (text: string, dest = '/app') => splitShellCommands(text).every((command) => isContextFree(command, dest));

describe('isContextFree', () => {
  it.each([
    'apt-get update',
    'rm -rf /var/lib/apt/lists/*',
    'corepack enable pnpm',
    'npm cache clean --force',
    'npm config set fund false',
    'useradd --system app',
    'python -m venv /opt/venv',
    'echo ready > /dev/null',
    'set -eux',
  ])('%s reads nothing from the context', (text) => {
    expect(free(text)).toBe(true);
  });

  it.each([
    'npm run build',
    'python manage.py collectstatic',
    'rm -rf /app/tmp',
    'rm -rf tmp',
    'echo x > /app/version.txt',
    'make',
    'cd /app',
    'python -m venv /app/.venv',
    'chown -R app /app',
  ])('%s may read or change what the COPY brings', (text) => {
    expect(free(text)).toBe(false);
  });
});
