import { createHash } from 'node:crypto';
import { encodeName, type ContextEntry } from '../../context';
import { computeInputsHash, hashTagFor, HashInputs } from './hash';

const entry = (path: string, type: ContextEntry['type'] = 'file', mode = 0o644): ContextEntry => ({ path, type, mode, size: 1 });

const base: HashInputs = {
  dockerfile: 'FROM node:20\nCOPY . .\n',
  ignoreFile: 'node_modules\n',
  entries: [entry('src', 'dir', 0o755), entry('src/main.ts'), entry('package.json')],
  digests: ['', 'a'.repeat(64), 'b'.repeat(64)],
  buildArgs: { NODE_ENV: 'production', VERSION: '1.2.3' },
  target: 'runtime',
  platforms: ['linux/amd64', 'linux/arm64'],
  bases: { 'node:20': 'sha256:1111', 'alpine:3.20': 'image-id:sha256:2222', 'acme/base:latest': `nxb:${'c'.repeat(64)}` },
};

const hashOf = (changes: Partial<HashInputs>): string => computeInputsHash({ ...base, ...changes });

describe('computeInputsHash', () => {
  it('is a deterministic sha256 hex', () => {
    expect(computeInputsHash(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(computeInputsHash(base)).toBe(computeInputsHash({ ...base, entries: [...base.entries], digests: [...base.digests] }));
  });

  it('treats the Dockerfile as bytes: a Buffer and the same string hash alike', () => {
    expect(hashOf({ dockerfile: Buffer.from(base.dockerfile as string) })).toBe(computeInputsHash(base));
  });

  const withEntry = (index: number, changes: Partial<ContextEntry>): ContextEntry[] =>
    base.entries.map((e, i) => (i === index ? { ...e, ...changes } : e));

  it.each<[string, Partial<HashInputs>]>([
    ['the Dockerfile bytes', { dockerfile: 'FROM node:22\nCOPY . .\n' }],
    ['the ignore file text', { ignoreFile: 'node_modules\ndist\n' }],
    ['a label added', { labels: { 'org.opencontainers.image.version': '2' } }],
    ['an empty ignore file instead of none', { ignoreFile: '' }],
    ['no ignore file instead of one', { ignoreFile: undefined }],
    ["an entry's path", { entries: withEntry(2, { path: 'package.json5' }) }],
    ["an entry's mode", { entries: withEntry(1, { mode: 0o755 }) }],
    ["an entry's type", { entries: withEntry(1, { type: 'symlink' }) }],
    ["an entry's digest", { digests: ['', 'a'.repeat(64), 'd'.repeat(64)] }],
    ['an added entry', { entries: [...base.entries, entry('z.txt')], digests: [...base.digests, 'e'.repeat(64)] }],
    ['a build arg value', { buildArgs: { NODE_ENV: 'development', VERSION: '1.2.3' } }],
    ['a build arg name', { buildArgs: { NODE_ENV: 'production', VERSION2: '1.2.3' } }],
    ['an added build arg', { buildArgs: { ...base.buildArgs, EXTRA: '' } }],
    ['the target', { target: 'builder' }],
    ['no target', { target: undefined }],
    ['the platforms', { platforms: ['linux/amd64'] }],
    ['a base image digest', { bases: { ...base.bases, 'node:20': 'sha256:9999' } }],
    ['a base image identity becoming unknown', { bases: { ...base.bases, 'node:20': 'unknown' } }],
    ['a base image reference', { bases: { 'node:22': 'sha256:1111', 'alpine:3.20': 'image-id:sha256:2222', 'acme/base:latest': `nxb:${'c'.repeat(64)}` } }],
    ["an upstream image's inputs hash", { bases: { ...base.bases, 'acme/base:latest': `nxb:${'f'.repeat(64)}` } }],
    ['a base image fewer', { bases: { 'node:20': 'sha256:1111', 'alpine:3.20': 'image-id:sha256:2222' } }],
  ])('changes with %s', (_what, changes) => {
    expect(hashOf(changes)).not.toBe(computeInputsHash(base));
  });

  it('cannot be fooled by a value that spells out another field (fields are length-prefixed)', () => {
    // without length prefixes both would feed "arg:A=x\narg:y=\n"
    expect(hashOf({ buildArgs: { A: 'x\narg:y=' } })).not.toBe(hashOf({ buildArgs: { A: 'x', y: '' } }));
  });

  it('does not depend on the key order of build args, base images, upstreams, nor on platform order', () => {
    expect(
      hashOf({
        buildArgs: { VERSION: '1.2.3', NODE_ENV: 'production' },
        platforms: ['linux/arm64', 'linux/amd64'],
        bases: { 'acme/base:latest': `nxb:${'c'.repeat(64)}`, 'alpine:3.20': 'image-id:sha256:2222', 'node:20': 'sha256:1111' },
      }),
    ).toBe(computeInputsHash(base));
  });

  it('does not depend on entry size (content is in the digest)', () => {
    expect(hashOf({ entries: base.entries.map((e) => ({ ...e, size: 999 })) })).toBe(computeInputsHash(base));
  });

  it('tells a podman build from a docker build of the same inputs, and keeps docker hashes as they were', () => {
    expect(hashOf({ engine: 'podman' })).not.toBe(computeInputsHash(base));
    expect(hashOf({ engine: 'docker' })).toBe(computeInputsHash(base));
    expect(hashOf({ engine: undefined })).toBe(computeInputsHash(base));
  });

  it('throws when entries and digests differ in length', () => {
    expect(() => hashOf({ digests: base.digests.slice(1) })).toThrow(/3 entries but 2 digests/);
  });
});

describe('the hash format (HASH_FORMAT_VERSION 2), pinned', () => {
  // The format as it is specified, written out independently: every field length-prefixed, each entry its type, mode
  // in octal, digest and the name's own bytes. A change that moves any hash fails here (and must bump the version).
  const reference = (inputs: HashInputs): string => {
    const hash = createHash('sha256');
    const field = (name: string, value: string | Buffer) => {
      const bytes = typeof value === 'string' ? Buffer.from(value) : value;
      hash.update(`${name}:${bytes.length}:`).update(bytes).update('\n');
    };
    const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
    field('format', 'nx-buildkit/2');
    field('dockerfile', sha(inputs.dockerfile));
    field('ignorefile', inputs.ignoreFile === undefined ? '-' : sha(inputs.ignoreFile));
    inputs.entries.forEach((e, i) => field('entry', Buffer.concat([Buffer.from(`${e.type} ${e.mode.toString(8)} ${inputs.digests[i]} `), encodeName(e.path)])));
    for (const name of Object.keys(inputs.buildArgs).sort()) field('arg', `${name}=${inputs.buildArgs[name]}`);
    field('target', inputs.target ?? '');
    field('platforms', [...inputs.platforms].sort().join(','));
    for (const ref of Object.keys(inputs.bases).sort()) field('from', `${ref}@${inputs.bases[ref]}`);
    return hash.digest('hex');
  };

  it('hashes ASCII, other Unicode, names beyond U+FFFF and names that were not UTF-8 as specified', () => {
    const names = ['src/main.ts', 'src/caf\u00e9.txt', 'emoji/\u{1f600}.txt', 'bad-\udcff.bin', 'mixed-\udc80-\u00e9'];
    const inputs = { ...base, entries: names.map((name) => entry(name)), digests: names.map((_name, i) => String(i).repeat(64).slice(0, 64)) };
    expect(computeInputsHash(inputs)).toBe(reference(inputs));
    expect(computeInputsHash(base)).toBe(reference(base));
  });
});

describe('hashTagFor', () => {
  it('is "nxb-" and the first 16 hex digits of the hash', () => {
    const hash = computeInputsHash(base);
    expect(hashTagFor(hash)).toBe(`nxb-${hash.slice(0, 16)}`);
    expect(hashTagFor(hash)).toMatch(/^nxb-[0-9a-f]{16}$/);
  });
});
