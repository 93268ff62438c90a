import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readRunReportEntries } from '../image/report/run-report-file';
import { readVersionFile } from '../../release/version-file';
import { openDigestCache } from '../context/digest-cache';
import { buildInputsManifest, describeInputChanges, InputsManifest } from '../image/identity/inputs-manifest';
import { readPruneKey } from '../pruned-deps/derive-once';
import { BuildRecord, indexRecordedHashes, readInputsManifest, readRecordHash } from '../image/record';
import { MAX_STATE_FILE_BYTES, readStateFile } from './read-state-file';
import { listOf, object, recordOf, string } from './shape';

/**
 * Every file the plugin reads back, each fed what a crash, a bad merge or a hostile hand could leave: truncated,
 * wrong-typed, huge, hostile. None may throw; each is refused with one line naming it, or read as it was written.
 */
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nxb-state-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function put(relativePath: string, content: string): string {
  const path = join(dir, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** A sparse file one byte over the bound: refused by its size, never read (it would cost 64 MB, or 600 MB, of memory). */
function putHuge(relativePath: string): string {
  const path = join(dir, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  ftruncateSync(fd, MAX_STATE_FILE_BYTES + 1);
  closeSync(fd);
  return path;
}

const HASH = 'ab'.repeat(32);
const record: BuildRecord = {
  project: 'base',
  target: 'docker-build',
  image: 'acme/base',
  tags: ['acme/base:latest'],
  hash: HASH,
  hashTag: `nxb-${HASH.slice(0, 16)}`,
  status: 'built',
  durationMs: 1200,
  finishedAt: '2026-12-05T10:00:00.000Z',
};
const manifest: InputsManifest = buildInputsManifest({
  dockerfile: 'FROM x\n',
  ignoreFile: undefined,
  entries: [{ path: 'a.txt', type: 'file', mode: 0o644, size: 1 }],
  digests: [HASH],
  buildArgs: {},
  platforms: [],
  bases: {},
} as unknown as Parameters<typeof buildInputsManifest>[0]);

describe('readStateFile', () => {
  const shape = object({ name: string, tags: listOf(string), by: recordOf(string) });

  it('reads a file of its shape, dropping properties it does not know', () => {
    const path = put('a.json', JSON.stringify({ name: 'n', tags: ['t'], by: { x: 'y' }, extra: 1 }));
    expect(readStateFile(path, shape)).toEqual({ value: { name: 'n', tags: ['t'], by: { x: 'y' } } });
  });

  it('says nothing of a missing file, or of one under a regular file', () => {
    expect(readStateFile(join(dir, 'none.json'), shape)).toEqual({ problem: undefined });
    put('file', '');
    expect(readStateFile(join(dir, 'file/under.json'), shape)).toEqual({ problem: undefined });
  });

  it('names truncated, wrong-typed, huge and non-regular files as problems, never throwing', () => {
    expect(readStateFile(put('t.json', '{"name":"n","ta'), shape).problem).toBe('not valid JSON (truncated or not written by nx-buildkit)');
    expect(readStateFile(put('w.json', '{"name":"n","tags":"x","by":{}}'), shape).problem).toBe('not in the expected shape (tags: expected a list, got string)');
    expect(readStateFile(put('v.json', '{"name":"n","tags":[],"by":{"k":7}}'), shape).problem).toBe('not in the expected shape (by["k"]: expected a string, got number)');
    expect(readStateFile(put('n.json', 'null'), shape).problem).toBe('not in the expected shape (the file: expected an object, got null)');
    expect(readStateFile(putHuge('h.json'), shape).problem).toBe('larger than 64 MB (64 MB)');
    mkdirSync(join(dir, 'folder.json'));
    expect(readStateFile(join(dir, 'folder.json'), shape).problem).toBe('not a regular file');
    execFileSync('mkfifo', [join(dir, 'fifo.json')]);
    // A FIFO would block a plain read forever (no writer): it is opened without waiting and refused.
    expect(readStateFile(join(dir, 'fifo.json'), shape).problem).toBe('not a regular file');
  });

  it('keeps hostile keys as data: __proto__ and constructor are entries, not inherited', () => {
    const path = put('p.json', '{"name":"n","tags":[],"by":{"__proto__":"a","constructor":"b"}}');
    const { value } = readStateFile(path, shape);
    expect(Object.getPrototypeOf(value?.by)).toBeNull();
    expect(Object.keys(value?.by ?? {})).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });
});

describe('build records', () => {
  const recordPath = (project: string) => join(dir, 'dist/docker', project, 'docker-build.json');

  it('finds the hash of a well-formed record, and reports every other one in one line naming it', () => {
    put('dist/docker/base/docker-build.json', JSON.stringify(record));
    put('dist/docker/trunc/docker-build.json', JSON.stringify(record).slice(0, 40));
    put('dist/docker/typed/docker-build.json', JSON.stringify({ ...record, tags: 'acme/base:latest' }));
    put('dist/docker/status/docker-build.json', JSON.stringify({ ...record, status: 'ok', finishedAt: '9999' }));
    putHuge('dist/docker/huge/docker-build.json');
    const lines: string[] = [];
    expect(indexRecordedHashes(join(dir, 'dist/docker'), (line) => lines.push(line))('acme/base:latest')).toBe(HASH);
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(line).toMatch(/^nx-buildkit: ignored \/\S+\/dist\/docker\/(trunc|typed|status|huge)\/docker-build\.json \(.+\); not used to identify base images\.$/);
      expect(line).not.toContain('\n');
    }
  });

  it('answers every reference from one reading of the folder: the newest successful record per tag, in any spelling', () => {
    const other = 'cd'.repeat(32);
    put('dist/docker/old/docker-build.json', JSON.stringify({ ...record, finishedAt: '2026-01-01T00:00:00.000Z' }));
    put('dist/docker/new/docker-build.json', JSON.stringify({ ...record, hash: other, tags: ['acme/base:latest', 'acme/base:2'], finishedAt: '2026-02-01T00:00:00.000Z' }));
    put('dist/docker/failed/docker-build.json', JSON.stringify({ ...record, hash: 'ef'.repeat(32), status: 'failed', finishedAt: '2026-03-01T00:00:00.000Z' }));
    const recorded = indexRecordedHashes(join(dir, 'dist/docker'));
    // Written after the folder was read: a run hashes its images before it writes any record.
    put('dist/docker/later/docker-build.json', JSON.stringify({ ...record, hash: 'ef'.repeat(32), tags: ['acme/late:1'], finishedAt: '2026-04-01T00:00:00.000Z' }));
    expect(recorded('docker.io/acme/base')).toBe(other);
    expect(recorded('acme/base:2')).toBe(other);
    expect(recorded('acme/late:1')).toBeUndefined();
    expect(recorded('acme/none:1')).toBeUndefined();
    expect(indexRecordedHashes(join(dir, 'dist/docker'))('acme/base:latest')).toBe(other);
    expect(indexRecordedHashes(join(dir, 'missing'))('acme/base')).toBeUndefined();
  });

  it('reads no hash from a record that is not one: the target is then written and built anew', () => {
    put('dist/docker/a/docker-build.json', JSON.stringify({ hash: HASH }));
    expect(readRecordHash(recordPath('a'))).toBeUndefined();
    put('dist/docker/b/docker-build.json', JSON.stringify({ ...record, hash: 42 }));
    expect(readRecordHash(recordPath('b'))).toBeUndefined();
    put('dist/docker/c/docker-build.json', JSON.stringify(record));
    expect(readRecordHash(recordPath('c'))).toBe(HASH);
  });
});

describe('inputs manifests', () => {
  const recordPath = () => join(dir, 'dist/docker/svc/docker-build.json');
  const manifestAt = (content: string) => put('dist/docker/svc/docker-build.inputs.json', content);

  it.each([
    ['incomplete (the probe: {"format":1})', '{"format":1}', 'dockerfile: expected a string, got undefined'],
    ['wrong-typed platforms (the probe: "platforms":"x")', JSON.stringify({ ...manifest, platforms: 'x' }), 'platforms: expected a list, got string'],
    ['a file entry of the wrong type', JSON.stringify({ ...manifest, files: { 'a.txt': { digest: 1 } } }), 'files["a.txt"]: expected a string, got an object'],
    ['truncated', JSON.stringify(manifest).slice(0, 30), 'not valid JSON'],
    ['another format', JSON.stringify({ ...manifest, format: 2 }), 'format: expected one of 1, got number'],
  ])('%s counts as none: "first build", one line naming the file', (_name, content, problem) => {
    manifestAt(content);
    const lines: string[] = [];
    const previous = readInputsManifest(recordPath(), (line) => lines.push(line));
    expect(previous).toBeUndefined();
    expect(describeInputChanges(previous, manifest).summary).toBe('first build');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('dist/docker/svc/docker-build.inputs.json');
    expect(lines[0]).toContain(problem);
    expect(lines[0]).toContain('the build is explained as a first build');
  });

  it('a huge one is refused by its size', () => {
    putHuge('dist/docker/svc/docker-build.inputs.json');
    const lines: string[] = [];
    expect(readInputsManifest(recordPath(), (line) => lines.push(line))).toBeUndefined();
    expect(lines[0]).toContain('larger than 64 MB');
  });

  it('hostile file names (constructor, __proto__) are compared as names', () => {
    const hostile = { ...manifest, files: { ...manifest.files, constructor: `file 644 ${HASH}`, ['__proto__']: `file 644 ${HASH}` } };
    // A computed "__proto__" key is an own property, so JSON.stringify writes it as a name.
    manifestAt(JSON.stringify(hostile));
    const previous = readInputsManifest(recordPath());
    expect(previous).toBeDefined();
    expect(describeInputChanges(previous, manifest).summary).toBe('2 files removed');
  });

  it('a well-formed one is read back and compared', () => {
    manifestAt(JSON.stringify(manifest));
    expect(describeInputChanges(readInputsManifest(recordPath()), manifest).summary).toBe('inputs unchanged');
  });
});

describe('the file digest cache', () => {
  const identity = { ino: 7n, size: 3n, mtimeNs: 1_000_000_000n, ctimeNs: 1_000_000_000n };
  const key = '7:3:1000000000:1000000000';

  it.each([
    ['a number as the digest', { format: 1, files: { '/ws/a': [key, 42] } }, 'expected a sha256 digest, got number'],
    ['an object as the digest', { format: 1, files: { '/ws/a': [key, { x: 1 }] } }, 'expected a sha256 digest, got an object'],
    ['a short string as the digest', { format: 1, files: { '/ws/a': [key, 'abc'] } }, 'expected a sha256 digest, got string'],
    ['entries that are not pairs', { format: 1, files: { '/ws/a': key } }, 'expected a pair'],
    ['files that are a list', { format: 1, files: [] }, 'files: expected an object, got a list'],
  ])('%s: nothing of it is trusted, one line names the file', (_name, content, problem) => {
    const file = put('dist/docker/.file-digests.json', JSON.stringify(content));
    const lines: string[] = [];
    const cache = openDigestCache(file, (line) => lines.push(line));
    expect(cache.lookup('/ws/a', identity)).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('dist/docker/.file-digests.json');
    expect(lines[0]).toContain(problem);
    expect(lines[0]).toContain('every file is hashed again');
  });

  it('a huge or truncated one starts empty; a sound one is used', () => {
    const lines: string[] = [];
    expect(openDigestCache(putHuge('huge.json'), (line) => lines.push(line)).lookup('/ws/a', identity)).toBeUndefined();
    expect(openDigestCache(put('cut.json', '{"format":1,"files":{"/ws/a":["7:3'), (line) => lines.push(line)).lookup('/ws/a', identity)).toBeUndefined();
    expect(lines.map((line) => /\((larger than|not valid JSON)/.exec(line)?.[1])).toEqual(['larger than', 'not valid JSON']);
    const sound = put('ok.json', JSON.stringify({ format: 1, files: { '/ws/a': [key, HASH] } }));
    expect(openDigestCache(sound).lookup('/ws/a', identity)).toBe(HASH);
    // An inherited name is no entry.
    expect(openDigestCache(sound).lookup('constructor', identity)).toBeUndefined();
  });
});

describe('release version files', () => {
  const path = 'dist/docker/api/release-version.json';
  it.each([
    ['truncated', '{"project":"api","vers', 'is not valid JSON'],
    ['a number as the version', '{"project":"api","version":3}', 'is not in the expected shape (version: expected a string, got number)'],
    ['a list', '[]', 'is not in the expected shape (the file: expected an object, got a list)'],
  ])('%s: an error naming the file and what to run, no stack', (_name, content, why) => {
    put(path, content);
    expect(() => readVersionFile(dir, path, 'api')).toThrow(`No release version for project "api": "${path}" ${why}`);
    expect(() => readVersionFile(dir, path, 'api')).toThrow('Run "nx release version" first');
  });

  it('a huge one is refused unread', () => {
    const fd = openSync(put(path, ''), 'w');
    ftruncateSync(fd, 10 * 1024 * 1024);
    closeSync(fd);
    expect(() => readVersionFile(dir, path, 'api')).toThrow(`"${path}" is larger than 65536 bytes (10 MB)`);
  });
});

describe('pruning keys', () => {
  it('a key that is not a sha256 is reported and the folder derived again', () => {
    const lines: string[] = [];
    expect(readPruneKey(put('docker-build.deps.key', 'garbage'), (line) => lines.push(line))).toBeUndefined();
    expect(readPruneKey(put('big.key', 'a'.repeat(5000)), (line) => lines.push(line))).toBeUndefined();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/docker-build\.deps\.key \(not a sha256 key\); the pruned dependencies are derived again\.$/);
    expect(lines[1]).toContain('big.key (larger than 1024 bytes');
    expect(readPruneKey(put('ok.key', HASH))).toBe(HASH);
    expect(readPruneKey(join(dir, 'none.key'))).toBeUndefined();
  });
});

describe('run report entries', () => {
  it('only well-formed entries are drawn', () => {
    const folder = join(dir, 'entries');
    put('entries/a.json', JSON.stringify([{ record, startedAt: 1, endedAt: 2 }, { record: { ...record, project: 'web' }, startedAt: 1, endedAt: 2 }]));
    put('entries/b.json', JSON.stringify([{ record: { ...record, durationMs: '1' }, startedAt: 1, endedAt: 2 }]));
    put('entries/c.json', '[{"record":');
    put('entries/d.json', JSON.stringify([{ record, startedAt: 1 }]));
    put('entries/e.json', JSON.stringify({ record, startedAt: 1, endedAt: 2 }));
    expect(readRunReportEntries(folder).map((entry) => entry.record.project)).toEqual(['base', 'web']);
  });
});
