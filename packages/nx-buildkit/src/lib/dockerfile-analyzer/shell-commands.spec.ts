import { programName, splitShellCommands } from './shell-commands';

describe('splitShellCommands', () => {
  it('splits at && || ; | & and newlines, and records the operator before each command', () => {
    const commands = splitShellCommands('apt-get update && apt-get install -y curl; echo done || true | cat\nls & wait');
    expect(commands.map((c) => [c.words.join(' '), c.after])).toEqual([
      ['apt-get update', undefined],
      ['apt-get install -y curl', '&&'],
      ['echo done', ';'],
      ['true', '||'],
      ['cat', '|'],
      ['ls', '\n'],
      ['wait', '&'],
    ]);
  });

  it('keeps quoted text, escapes and command substitutions inside their words', () => {
    const [command] = splitShellCommands(`echo "a && b" 'c; d' e\\ f $(date +%s; true)`);
    expect(command.words).toEqual(['echo', 'a && b', 'c; d', 'e f', '$(date +%s; true)']);
  });

  it('drops assignments, wrappers and control words, keeping the assignments', () => {
    const commands = splitShellCommands('DEBIAN_FRONTEND=noninteractive sudo -E apt-get install -y x && if true; then env A=1 npm ci; fi');
    expect(commands[0]).toMatchObject({ words: ['apt-get', 'install', '-y', 'x'], assignments: { DEBIAN_FRONTEND: 'noninteractive' } });
    expect(commands.map((c) => c.words.join(' '))).toEqual(['apt-get install -y x', 'true', 'npm ci']);
    expect(commands[2].assignments).toEqual({ A: '1' });
  });

  it('separates redirections from the words, and 2>&1 is not a separator', () => {
    const [command, ...rest] = splitShellCommands('pip install -r req.txt > /tmp/log 2>&1');
    expect(command.words).toEqual(['pip', 'install', '-r', 'req.txt']);
    expect(command.redirects).toEqual(['/tmp/log', '&1']);
    expect(rest).toEqual([]);
  });

  it('skips comments and blank lines (here-document bodies have them)', () => {
    expect(splitShellCommands('# install\n\nnpm ci # exact\n').map((c) => c.words)).toEqual([['npm', 'ci']]);
  });

  it('reads a joined continuation as one command', () => {
    expect(splitShellCommands('npm ci \\\n  --omit=dev').map((c) => c.words)).toEqual([['npm', 'ci', '--omit=dev']]);
  });
});

describe('programName', () => {
  it('strips the folder', () => {
    expect(programName('/opt/venv/bin/pip')).toBe('pip');
    expect(programName('./mvnw')).toBe('mvnw');
    expect(programName('npm')).toBe('npm');
  });
});

describe('splitShellCommands with backticks', () => {
  it('drops a `# comment` in backticks (the comment-in-a-continued-command trick) and keeps the command whole', () => {
    const [command] = splitShellCommands('pip install --no-cache-dir `# the core` -r requirements.txt `# done`');
    expect(command.words).toEqual(['pip', 'install', '--no-cache-dir', '-r', 'requirements.txt']);
  });

  it('keeps a real substitution in its word', () => {
    expect(splitShellCommands('echo `date +%s` > /stamp')[0].words).toEqual(['echo', '`date +%s`']);
  });
});
