import { parseDockerfile } from '../dockerfile';
import { fetchedScripts, readRunSteps } from './run-steps';
import { splitShellCommands } from './shell-commands';

describe('readRunSteps', () => {
  it('finds the installs and apt-get update of a RUN', () => {
    const [run, copy] = parseDockerfile('FROM x\nRUN apt-get update && apt-get install -y curl && npm ci && npm run build\nCOPY . .\n').stages[0].instructions;
    const steps = readRunSteps(run);
    expect(steps.installs.map((install) => install.manager)).toEqual(['apt', 'npm']);
    expect(steps.aptUpdate).toBe(true);
    expect(steps.commands).toHaveLength(4);
    expect(readRunSteps(copy)).toEqual({ commands: [], installs: [], aptUpdate: false });
  });
});

describe('fetchedScripts', () => {
  const scripts = (run: string) => fetchedScripts(splitShellCommands(run)).map((command) => command.text);

  it('finds a shell fed by a pipe, sh -c "$(curl …)" and a downloaded script run by a shell', () => {
    expect(scripts('curl -fsSL https://deb.nodesource.com/setup_20.x | bash -')).toEqual(['bash -']);
    expect(scripts('cat /tmp/setup.sh | sh')).toEqual(['sh']);
    expect(scripts('sh -c "$(curl -fsSL https://example.com/install.sh)"')).toEqual(['sh -c "$(curl -fsSL https://example.com/install.sh)"']);
    expect(scripts('wget -O /tmp/setup.sh https://example.com/setup && bash /tmp/setup.sh')).toEqual(['bash /tmp/setup.sh']);
  });

  it('leaves scripts from the context and shells running inline text alone', () => {
    expect(scripts('./build.sh && . /venv/bin/activate && bash scripts/test.sh')).toEqual([]);
    expect(scripts('sh -c "npm ci && npm run build"')).toEqual([]);
    expect(scripts('curl -fsSL https://example.com/health | grep ok')).toEqual([]);
  });
});
