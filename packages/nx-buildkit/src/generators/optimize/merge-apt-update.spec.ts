import { parseDockerfile } from '../../lib/dockerfile';
import { planAptMerge } from './merge-apt-update';
import { applyEdits } from './text-edits';

function merge(text: string): { text?: string; declined: string[] } {
  const parsed = parseDockerfile(text);
  const plan = planAptMerge(parsed);
  return { text: plan.rewrite && applyEdits(parsed.lines, plan.rewrite.edits).join('\n'), declined: plan.declined.map((d) => `${d.line}: ${d.reason}`) };
}

describe('planAptMerge', () => {
  it('puts the update in front of the install and removes its own RUN, keeping the install lines', () => {
    expect(merge('FROM debian\n# tools\nRUN apt-get update -qq\nRUN apt-get install -y \\\n    curl \\\n && rm -rf /var/lib/apt/lists/*\n').text).toBe(
      'FROM debian\n# tools\nRUN apt-get update -qq && apt-get install -y \\\n    curl \\\n && rm -rf /var/lib/apt/lists/*\n',
    );
  });

  it('keeps the install flags, putting the update after them', () => {
    expect(merge('FROM debian\nRUN apt-get update\nRUN --mount=type=secret,id=a apt-get install -y curl\n').text).toBe('FROM debian\nRUN --mount=type=secret,id=a apt-get update && apt-get install -y curl\n');
  });

  it('keeps comment lines that were inside the update RUN', () => {
    expect(merge('FROM debian\nRUN \\\n# refresh\n  apt-get update\nRUN apt-get install -y curl\n').text).toBe('FROM debian\n# refresh\nRUN apt-get update && apt-get install -y curl\n');
  });

  it.each([
    ['no apt install after it', 'FROM debian\nRUN apt-get update\nRUN pip install x\n', 'not an apt install'],
    ['something else between', 'FROM debian\nRUN apt-get update\nENV A=1\nRUN apt-get install -y curl\n', 'not an apt install'],
    ['an install chained with ;', 'FROM debian\nRUN apt-get update\nRUN apt-get install -y curl; echo done\n', 'chains commands with ;'],
    ['an install that starts with something else', 'FROM debian\nRUN apt-get update\nRUN echo go && apt-get install -y curl\n', 'does not start with the apt install'],
    ['an exec-form install', 'FROM debian\nRUN apt-get update\nRUN ["apt-get", "install", "-y", "curl"]\n', 'not in shell form'],
    ['an update with flags', 'FROM debian\nRUN --network=host apt-get update\nRUN apt-get install -y curl\n', 'has flags'],
  ])('declines %s', (_name, text, reason) => {
    const result = merge(text);
    expect(result.text).toBeUndefined();
    expect(result.declined.join('\n')).toContain(reason);
  });

  it('leaves an update that already installs alone', () => {
    expect(merge('FROM debian\nRUN apt-get update && apt-get install -y curl\n')).toEqual({ text: undefined, declined: [] });
  });
});

describe('planAptMerge on an update RUN with harmless commands', () => {
  it('merges the update of `set -eux && apt-get update` into the install after it, as lint reports it (only the update moves: set -u would change the install)', () => {
    const parsed = parseDockerfile('FROM debian\nRUN set -eux && apt-get update\nRUN apt-get install -y curl\n');
    const { rewrite } = planAptMerge(parsed);
    expect(applyEdits(parsed.lines, rewrite?.edits ?? []).join('\n')).toBe('FROM debian\nRUN apt-get update && apt-get install -y curl\n');
  });
});
