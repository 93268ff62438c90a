import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDockerfile } from '../dockerfile';
import { createRunDockerfiles } from './run-dockerfiles';

describe('createRunDockerfiles', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nxb-run-dockerfiles-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a Dockerfile once and parses it once per set of build args, whatever the order of their keys', () => {
    const path = join(dir, 'Dockerfile');
    writeFileSync(path, 'ARG BASE=node:20-bookworm-slim\nFROM ${BASE}\nCOPY a /a\n');
    const reads: string[] = [];
    let parses = 0;
    const dockerfiles = createRunDockerfiles(
      (file) => (reads.push(file), Buffer.from(`ARG BASE=node:20-bookworm-slim\nFROM \${BASE}\nCOPY a /a\n`)),
      (text, args) => (parses++, parseDockerfile(text, args)),
    );
    expect(dockerfiles.bytes(path).toString()).toContain('FROM ${BASE}');
    expect(dockerfiles.model(path).stages[0].base).toBe('node:20-bookworm-slim');
    expect(dockerfiles.model(path, {})).toBe(dockerfiles.model(path));
    expect(dockerfiles.model(path, { BASE: 'scratch', X: '1' }).stages[0].base).toBe('scratch');
    expect(dockerfiles.model(path, { X: '1', BASE: 'scratch' })).toBe(dockerfiles.model(path, { BASE: 'scratch', X: '1' }));
    dockerfiles.bytes(path);
    expect(reads).toEqual([path]);
    expect(parses).toBe(2);
  });

  it('parses two Dockerfiles with the same text once (services made from one template), and different texts apart', () => {
    const texts: Record<string, string> = { '/a/Dockerfile': 'FROM scratch\nCOPY a /a\n', '/b/Dockerfile': 'FROM scratch\nCOPY a /a\n', '/c/Dockerfile': 'FROM scratch\nCOPY c /c\n' };
    let parses = 0;
    const dockerfiles = createRunDockerfiles(
      (file) => Buffer.from(texts[file]),
      (text, args) => (parses++, parseDockerfile(text, args)),
    );
    expect(dockerfiles.model('/b/Dockerfile')).toBe(dockerfiles.model('/a/Dockerfile'));
    expect(dockerfiles.model('/c/Dockerfile').instructions[1].args).toBe('c /c');
    expect(parses).toBe(2);
  });

  it('throws what reading threw, every time, without reading again', () => {
    const reads: string[] = [];
    const dockerfiles = createRunDockerfiles((file) => {
      reads.push(file);
      throw new Error(`ENOENT: no such file or directory, open '${file}'`);
    });
    expect(() => dockerfiles.bytes('/nowhere/Dockerfile')).toThrow('ENOENT');
    expect(() => dockerfiles.model('/nowhere/Dockerfile')).toThrow('ENOENT');
    expect(reads).toEqual(['/nowhere/Dockerfile']);
  });

  it('reads from the disk by default', () => {
    const path = join(dir, 'Dockerfile');
    writeFileSync(path, 'FROM scratch\n');
    expect(createRunDockerfiles().bytes(path).toString()).toBe('FROM scratch\n');
  });
});
