import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInputsManifest, describeInputChanges } from '../image/identity/inputs-manifest';
import { computeInputsHash } from '../image/identity/hash';
import { decodeName, encodeName } from './name-bytes';
import { digestEntries, walkContext } from './walk';

describe('decodeName / encodeName', () => {
  it.each([
    ['plain', Buffer.from('app.py')],
    ['UTF-8', Buffer.from('ünï 😀.txt')],
    ['not UTF-8', Buffer.from([0x62, 0x61, 0x64, 0x2d, 0xff, 0xfe, 0x2e, 0x74])],
    ['a truncated sequence', Buffer.from([0x61, 0xe2, 0x82])],
    ['an overlong encoding', Buffer.from([0xc0, 0xaf])],
    ['an encoded surrogate (CESU)', Buffer.from([0xed, 0xb3, 0xbf])],
    ['a newline', Buffer.from('a\nb')],
  ])('round-trips %s', (_name, bytes) => {
    const name = decodeName(bytes);
    expect(encodeName(name).equals(bytes)).toBe(true);
  });

  it('keeps distinct names distinct, and valid names as they are', () => {
    expect(decodeName(Buffer.from([0xff]))).not.toBe(decodeName(Buffer.from([0xfe])));
    expect(decodeName(Buffer.from('ok.txt'))).toBe('ok.txt');
    expect(encodeName('ünï').equals(Buffer.from('ünï'))).toBe(true);
  });
});

describe('a context with names of any bytes', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nxb-names-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const at = (...bytes: (string | number[])[]) => Buffer.concat([Buffer.from(`${dir}/`), ...bytes.map((b) => (typeof b === 'string' ? Buffer.from(b) : Buffer.from(b)))]);

  it('walks, hashes and describes non-UTF-8, newline and 255-byte names', async () => {
    writeFileSync(at('bad-', [0xff, 0xfe], '.txt'), 'one');
    writeFileSync(at('bad-', [0xfe, 0xff], '.txt'), 'two');
    writeFileSync(join(dir, 'new\nline.txt'), 'three');
    const long = `${'l'.repeat(251)}.txt`;
    writeFileSync(join(dir, long), 'four');
    mkdirSync(at('dir-', [0xe9]));
    writeFileSync(at('dir-', [0xe9], '/inner.txt'), 'five');
    symlinkSync(Buffer.from([0x74, 0xff]), at('link'));

    const entries = walkContext(dir, []);
    expect(entries.map((entry) => encodeName(entry.path).toString('latin1'))).toEqual([
      'bad-\xfe\xff.txt',
      'bad-\xff\xfe.txt',
      'dir-\xe9',
      'dir-\xe9/inner.txt',
      'link',
      long,
      'new\nline.txt',
    ]);
    const digests = await digestEntries(dir, entries);
    const sha = (text: string) => require('node:crypto').createHash('sha256').update(text).digest('hex');
    expect(digests).toEqual([sha('two'), sha('one'), '', sha('five'), require('node:crypto').createHash('sha256').update(Buffer.from([0x74, 0xff])).digest('hex'), sha('four'), sha('three')]);

    const inputs = { dockerfile: 'FROM x\n', entries, digests, buildArgs: {}, platforms: [], bases: {} };
    const renamed = entries.map((entry) => (entry.path === decodeName(Buffer.from('bad-\xff\xfe.txt', 'latin1')) ? { ...entry, path: decodeName(Buffer.from('bad-\xff\xfd.txt', 'latin1')) } : entry));
    // Two names that differ only in bytes that are not UTF-8 hash differently.
    expect(computeInputsHash({ ...inputs, entries: renamed })).not.toBe(computeInputsHash(inputs));

    const before = buildInputsManifest(inputs);
    // The manifest (a JSON file) keeps each name distinct through a write and a read.
    const reread = JSON.parse(JSON.stringify(before));
    expect(Object.keys(reread.files)).toHaveLength(7);
    const after = buildInputsManifest({ ...inputs, digests: digests.map((digest, i) => (i === 1 || i === 6 ? `${digest}0` : digest)) });
    expect(describeInputChanges(reread, after).details).toEqual(['bad-\\xff\\xfe.txt changed', 'new\\nline.txt changed']);
  });
});
