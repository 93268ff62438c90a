import { splitShellCommands } from './shell-commands';
import { targetConflict } from './cache-target-conflicts';

const conflict = (script: string, target: string, workdir = '/app') => {
  const found = targetConflict(splitShellCommands(script), target, workdir);
  return found && { kind: found.kind, path: found.path, command: found.command.text };
};

describe('targetConflict', () => {
  it.each([
    ['the target itself removed', 'pip install -r r.txt && rm -rf /root/.cache/pip', '/root/.cache/pip', 'removes', '/root/.cache/pip'],
    ["the target's parent removed (datasette)", 'apt-get install -y x && apt clean && rm -rf /var/lib/apt', '/var/lib/apt/lists', 'removes', '/var/lib/apt'],
    ['~ is root\'s home', 'pip install x; rm -rf ~/.cache', '/root/.cache/pip', 'removes', '/root/.cache'],
    ['$HOME too', 'rm -rf $HOME/.cache/pip', '/root/.cache/pip', 'removes', '/root/.cache/pip'],
    ['a relative path below the working directory', 'rm -rf .cache', '/root/.cache/pip', 'removes', '/root/.cache'],
    ['the target moved', 'mv /root/.npm /tmp/npm-cache', '/root/.npm', 'removes', '/root/.npm'],
    ['a file copied into it', 'cp pip.conf /root/.cache/pip/', '/root/.cache/pip', 'writes', '/root/.cache/pip'],
    ['a redirect into it', 'echo x > /root/.npm/_cacache/index', '/root/.npm', 'writes', '/root/.npm/_cacache/index'],
    ['its contents removed', 'apt-get install -y curl && rm -rf /var/lib/apt/lists/*', '/var/lib/apt/lists', 'empties', '/var/lib/apt/lists'],
    ['apt-get clean', 'apt-get install -y curl && apt-get clean', '/var/cache/apt', 'empties', '/var/cache/apt/archives'],
    ['find -delete inside it', 'find /root/.cache/pip -type f -delete', '/root/.cache/pip', 'empties', '/root/.cache/pip'],
  ])('%s', (_name, script, target, kind, path) => {
    expect(conflict(script, target, _name.includes('relative') ? '/root' : '/app')).toMatchObject({ kind, path });
  });

  it.each([
    ['other folders removed', 'pip install x && rm -rf /tmp/* /var/lib/apt/lists/*', '/root/.cache/pip'],
    ['a sibling of the target', 'rm -rf /root/.cache/other', '/root/.cache/pip'],
    ['a path with an unknown variable', 'rm -rf $CACHE', '/root/.cache/pip'],
    ['reading from it', 'ls /root/.cache/pip', '/root/.cache/pip'],
    ['an archive extracted into / (paperless-ngx: what it holds is not known)', 'tar --directory / -xzf /tmp/s6.tar.gz', '/var/cache/apt'],
    ['a copy into a parent', 'cp -r conf /root', '/root/.cache/pip'],
  ])('no conflict: %s', (_name, script, target) => {
    expect(conflict(script, target)).toBeUndefined();
  });
});
