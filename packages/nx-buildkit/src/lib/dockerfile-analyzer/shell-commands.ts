/**
 * Splits the shell text of a RUN into simple commands (`apt-get update && apt-get install -y curl` → two), enough to
 * recognise package installs. It understands quotes, backslash escapes, `$(…)`, comments and the separators
 * `&& || ; | &` and newlines; it is not a shell: loops and conditionals only lose their keywords.
 */

export interface SimpleCommand {
  /** The words with quotes removed; leading `VAR=value` assignments and wrappers (sudo, env, exec…) left out. */
  readonly words: readonly string[];
  /** Leading `VAR=value` assignments (also those given to `env`). */
  readonly assignments: Readonly<Record<string, string>>;
  /** The command as written, trimmed, for messages. */
  readonly text: string;
  /** The operator before it: `&&`, `||`, `;`, `|`, `&`, a newline, `(` or `)`; undefined for the first. */
  readonly after?: string;
  /** Redirection targets (`> /dev/null` → `/dev/null`), removed from the words. */
  readonly redirects: readonly string[];
}

const CONTROL_WORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'fi', 'done', 'esac']);
const WRAPPERS = new Set(['sudo', 'exec', 'time', 'command', 'nice', 'nohup', 'builtin']);

export function splitShellCommands(script: string): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let text = '';
  let pending: string[] = [];
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (next?: string): void => {
    endWord();
    // Between two commands, `a &&\n\n b` still chains with &&: blank lines only separate when nothing else does.
    const after = commands.length > 0 ? (pending.find((s) => s !== '&&' && s !== '\n') ?? pending.find((s) => s === '&&') ?? pending[0]) : undefined;
    const command = toSimpleCommand(words, text.trim(), after);
    if (command) {
      commands.push(command);
      pending = [];
    }
    if (next !== undefined) pending.push(next);
    words = [];
    text = '';
  };

  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (ch === '\\' && script[i + 1] === '\n') {
      i++;
      text += ' ';
      continue;
    }
    if (ch === "'") {
      const end = script.indexOf("'", i + 1);
      const stop = end < 0 ? script.length : end;
      word += script.slice(i + 1, stop);
      text += script.slice(i, stop + 1);
      inWord = true;
      i = stop;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      let value = '';
      while (j < script.length && script[j] !== '"') {
        if (script[j] === '\\' && j + 1 < script.length && '"\\$`\n'.includes(script[j + 1])) {
          if (script[j + 1] !== '\n') value += script[j + 1];
          j += 2;
          continue;
        }
        value += script[j++];
      }
      word += value;
      text += script.slice(i, j + 1);
      inWord = true;
      i = j;
      continue;
    }
    if (ch === '\\') {
      word += script[i + 1] ?? '';
      text += script.slice(i, i + 2);
      inWord = true;
      i++;
      continue;
    }
    if (ch === '`') {
      // Old-style command substitution. `# note` inside backticks is the trick for a comment in the middle of a
      // continued command (saleor): it expands to nothing, so it adds nothing to the word.
      let j = i + 1;
      while (j < script.length && script[j] !== '`') j += script[j] === '\\' ? 2 : 1;
      const body = script.slice(i + 1, j);
      if (!body.trim().startsWith('#')) {
        word += script.slice(i, j + 1);
        inWord = true;
      }
      text += script.slice(i, j + 1);
      i = j;
      continue;
    }
    if (ch === '$' && script[i + 1] === '(') {
      // Command substitution stays inside the word it belongs to.
      let depth = 0;
      let j = i + 1;
      for (; j < script.length; j++) {
        if (script[j] === '(') depth++;
        else if (script[j] === ')' && --depth === 0) break;
      }
      word += script.slice(i, j + 1);
      text += script.slice(i, j + 1);
      inWord = true;
      i = j;
      continue;
    }
    if (ch === '#' && !inWord) {
      const end = script.indexOf('\n', i);
      i = (end < 0 ? script.length : end) - 1;
      continue;
    }
    if (ch === '\n' || ch === ';' || ch === '(' || ch === ')') {
      endCommand(ch);
      continue;
    }
    if (ch === '&' && (word.endsWith('>') || word.endsWith('<'))) {
      // `2>&1`: a redirection, not a separator.
      word += ch;
      text += ch;
      continue;
    }
    if (ch === '&' || ch === '|') {
      const doubled = script[i + 1] === ch;
      if (doubled) i++;
      endCommand(doubled ? ch + ch : ch);
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord();
      text += ch;
      continue;
    }
    word += ch;
    text += ch;
    inWord = true;
  }
  endCommand();
  return commands;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

function toSimpleCommand(rawWords: readonly string[], text: string, after: string | undefined): SimpleCommand | undefined {
  const words = [...rawWords];
  const assignments: Record<string, string> = {};
  for (;;) {
    const first = words[0];
    if (first === undefined) break;
    const assignment = ASSIGNMENT.exec(first);
    if (assignment) {
      assignments[assignment[1]] = assignment[2];
      words.shift();
    } else if (CONTROL_WORDS.has(first) || WRAPPERS.has(first)) {
      words.shift();
      // sudo -u user / sudo -E: the options of the wrapper are not the command.
      while (first === 'sudo' && words[0]?.startsWith('-')) words.shift();
    } else if (first === 'env') {
      words.shift();
      while (words[0]?.startsWith('-')) words.shift();
    } else {
      break;
    }
  }
  const withoutRedirections: string[] = [];
  const redirects: string[] = [];
  for (let i = 0; i < words.length; i++) {
    // `> /dev/null`, `2>/dev/null`, `<file`: a redirection and its target are not arguments.
    const redirection = /^[0-9]*(>>?|<)(.*)$/.exec(words[i]);
    if (redirection) {
      const target = redirection[2] === '' ? words[++i] : redirection[2];
      if (target !== undefined && target !== '&') redirects.push(target);
      continue;
    }
    withoutRedirections.push(words[i]);
  }
  if (withoutRedirections.length === 0) return undefined;
  return { words: withoutRedirections, assignments, text, after, redirects };
}

/** The name a program is called by: `/opt/venv/bin/pip` → `pip`. */
export function programName(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}
