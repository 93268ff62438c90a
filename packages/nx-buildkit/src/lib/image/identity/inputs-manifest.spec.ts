import { buildReason, buildInputsManifest, describeInputChanges } from './inputs-manifest';
import type { HashInputs } from './hash';

const file = (path: string) => ({ path, type: 'file' as const, mode: 0o644, size: 1 });

function inputs(overrides: Partial<HashInputs> = {}): HashInputs {
  return {
    dockerfile: 'FROM python:3.11-slim-bookworm\nCOPY . .\n',
    entries: [file('src/api/routers/cameras.py'), file('src/api/main.py')],
    digests: ['d1', 'd2'],
    buildArgs: { GIT_SHA: 'abc123' },
    platforms: [],
    bases: { 'python:3.11-slim-bookworm': 'sha256:ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12' },
    ...overrides,
  } as HashInputs;
}

describe('describeInputChanges', () => {
  const before = buildInputsManifest(inputs());

  it('says "first build" without an earlier manifest', () => {
    expect(describeInputChanges(undefined, before).summary).toBe('first build');
  });

  it('names the changed file and counts the added ones', () => {
    const after = buildInputsManifest(
      inputs({ entries: [file('src/api/routers/cameras.py'), file('src/api/main.py'), file('src/api/a.py'), file('src/api/b.py')], digests: ['d1x', 'd2', 'd3', 'd4'] }),
    );
    expect(describeInputChanges(before, after)).toEqual({
      summary: 'src/api/routers/cameras.py changed; 2 files added',
      details: ['src/api/routers/cameras.py changed', 'src/api/a.py added', 'src/api/b.py added'],
    });
  });

  it('names a changed base with both identities, shortened', () => {
    const after = buildInputsManifest(inputs({ bases: { 'python:3.11-slim-bookworm': 'sha256:cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34' } }));
    expect(describeInputChanges(before, after).summary).toBe('base python:3.11-slim-bookworm changed: sha256:ab12ab12ab12… → sha256:cd34cd34cd34…');
  });

  it('names a changed build arg, never its value', () => {
    const after = buildInputsManifest(inputs({ buildArgs: { GIT_SHA: 'def456' } }));
    const changes = describeInputChanges(before, after);
    expect(changes.summary).toBe('build arg GIT_SHA changed');
    expect(JSON.stringify({ after, changes })).not.toContain('def456');
  });

  it('names a change of engine, and keeps docker manifests as they were', () => {
    expect(before).not.toHaveProperty('engine');
    expect(buildInputsManifest(inputs({ engine: 'docker' }))).toEqual(before);
    expect(describeInputChanges(before, buildInputsManifest(inputs({ engine: 'podman' }))).summary).toBe('engine changed: docker → podman');
  });

  it('says when nothing changed (the image was missing)', () => {
    expect(describeInputChanges(before, buildInputsManifest(inputs())).summary).toBe('inputs unchanged');
  });

  it('builds an image with unchanged inputs because it is not found, never "inputs unchanged"', () => {
    const unchanged = describeInputChanges(before, buildInputsManifest(inputs()));
    expect(buildReason(unchanged, false)).toBe('not found in the engine: building');
    expect(buildReason(unchanged, true)).toBe('not found in the engine or the registry: building');
    const changed = describeInputChanges(before, buildInputsManifest(inputs({ buildArgs: { GIT_SHA: 'def456' } })));
    expect(buildReason(changed, false)).toBe('build arg GIT_SHA changed');
  });
});
