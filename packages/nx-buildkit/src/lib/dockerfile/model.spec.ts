import { cacheMounts, finalImageStages, instructionSummary, parseDockerfile, runCommandText } from './model';

describe('parseDockerfile', () => {
  it('parses a text once for the same build args, in any order, and again for other args or another text', () => {
    const text = 'ARG BASE=node:20\nARG TAG=1\nFROM ${BASE}\n';
    const first = parseDockerfile(text, { BASE: 'python:3', TAG: '2' });
    expect(parseDockerfile(text, { TAG: '2', BASE: 'python:3' })).toBe(first);
    expect(first.stages[0].base).toBe('python:3');
    const defaults = parseDockerfile(text);
    expect(defaults).not.toBe(first);
    expect(defaults.stages[0].base).toBe('node:20');
    expect(parseDockerfile(`${text}USER node\n`, { BASE: 'python:3', TAG: '2' })).not.toBe(first);
  });

  it('groups instructions into stages with line ranges that include continuations and here-documents', () => {
    const parsed = parseDockerfile(['ARG BASE=node:20', 'FROM ${BASE} AS build', 'RUN npm ci \\', '  && npm run build', 'RUN <<EOF', 'echo hi', 'EOF', 'FROM build', 'USER node', ''].join('\n'));
    expect(parsed.stages.map((stage) => ({ name: stage.name, base: stage.base, baseStage: stage.baseStage, lines: stage.instructions.map((i) => [i.keyword, i.startLine, i.endLine]) }))).toEqual([
      { name: 'build', base: 'node:20', baseStage: undefined, lines: [['RUN', 2, 3], ['RUN', 4, 6]] },
      { name: undefined, base: 'build', baseStage: 0, lines: [['USER', 8, 8]] },
    ]);
    expect(parsed.globalArgs).toEqual({ BASE: 'node:20' });
  });

  it('reads keywords in any case, flags, the JSON form and ENV/ARG properties', () => {
    // `run --mount=…` : the command starts after the 51-character flag and a space.
    const parsed = parseDockerfile('from x\nrun --mount=type=cache,target=/root/.npm,sharing=locked npm ci\nCOPY ["a b", "/dest/"]\nENV A=1 B="two words"\nARG C D=4\n');
    const [run, copy, env, arg] = parsed.stages[0].instructions;
    expect(run.keyword).toBe('RUN');
    expect(run.flags).toEqual([{ name: 'mount', value: 'type=cache,target=/root/.npm,sharing=locked', options: { type: 'cache', target: '/root/.npm', sharing: 'locked' } }]);
    expect(run.args).toBe('npm ci');
    expect(run.argsStart).toEqual({ line: 1, character: 56 });
    expect(run.keywordEnd).toEqual({ line: 1, character: 3 });
    expect(copy.json).toEqual(['a b', '/dest/']);
    expect(env.properties).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: 'two words' }]);
    expect(arg.properties).toEqual([{ name: 'C', value: undefined }, { name: 'D', value: '4' }]);
  });

  it('reads parser directives and the escape character', () => {
    const parsed = parseDockerfile('# syntax=docker/dockerfile:1\n# escape=`\nFROM x\nRUN a `\n  b\n');
    expect(parsed.directives).toEqual([{ name: 'syntax', value: 'docker/dockerfile:1', line: 0 }, { name: 'escape', value: '`', line: 1 }]);
    expect(parsed.escapeChar).toBe('`');
    expect(parsed.stages[0].instructions[0]).toMatchObject({ startLine: 3, endLine: 4 });
  });

  it('marks a base that uses a variable without a value as unresolved', () => {
    const parsed = parseDockerfile('ARG TAG\nFROM node:${TAG}\nFROM node:${TAG:-20}\n');
    expect(parsed.stages.map((stage) => [stage.base, stage.baseUnresolved])).toEqual([
      ['node:', true],
      ['node:20', false],
    ]);
  });

  it('does not fail on text that is not a Dockerfile', () => {
    expect(parseDockerfile('').stages).toEqual([]);
    expect(parseDockerfile('hello world\n\\\n<<<\n').stages).toEqual([]);
  });
});

describe('exec form', () => {
  it('keeps spaces inside JSON strings, and reads invalid JSON as the shell form, as Docker does', () => {
    const [spaced, invalid] = parseDockerfile('FROM x\nCOPY ["my file.txt", "/dest dir/"]\nRUN [npm ci]\n').stages[0].instructions;
    expect(spaced.json).toEqual(['my file.txt', '/dest dir/']);
    expect(invalid.json).toBeUndefined();
  });
});

describe('runCommandText', () => {
  it('reads here-documents, sh -c exec forms and plain exec forms', () => {
    const [heredoc, shellForm, execForm, plain] = parseDockerfile('FROM x\nRUN <<EOF\nnpm ci\nEOF\nRUN ["/bin/sh", "-c", "npm ci && npm test"]\nRUN ["npm", "ci"]\nRUN npm ci\n').stages[0].instructions;
    expect(runCommandText(heredoc)).toBe('npm ci');
    expect(runCommandText(shellForm)).toBe('npm ci && npm test');
    expect(runCommandText(execForm)).toBe('npm ci');
    expect(runCommandText(plain)).toBe('npm ci');
  });
});

describe('cacheMounts', () => {
  it('lists cache mounts only', () => {
    const [run] = parseDockerfile('FROM x\nRUN --mount=type=secret,id=npm --mount=type=cache,id=npm-cache,target=/root/.npm npm ci\n').stages[0].instructions;
    expect(cacheMounts(run).map(({ target, id }) => ({ target, id }))).toEqual([{ target: '/root/.npm', id: 'npm-cache' }]);
  });
});

describe('finalImageStages', () => {
  it('follows the last stage back through the stages it starts FROM', () => {
    const parsed = parseDockerfile('FROM a AS base\nFROM base AS deps\nFROM other AS tools\nFROM deps\n');
    expect(finalImageStages(parsed).map((stage) => stage.index)).toEqual([0, 1, 3]);
  });
});

describe('instructionSummary', () => {
  it('shows the first line without its continuation character', () => {
    const parsed = parseDockerfile('FROM x\nRUN apt-get update \\\n && apt-get install -y curl\n');
    expect(instructionSummary(parsed.stages[0].instructions[0], parsed)).toBe('RUN apt-get update');
  });
});
