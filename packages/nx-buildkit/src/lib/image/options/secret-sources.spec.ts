import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeOptions } from './normalize-options';
import { buildxSecretSpec, missingSecretSource, parseSecretSpec, SecretSpec } from './secrets';

describe('required secrets', () => {
  it('takes required=true|false (any case) and nothing else', () => {
    expect(parseSecretSpec('id=npm,env=NPM_TOKEN,required=false')).toEqual({ id: 'npm', type: 'env', source: 'NPM_TOKEN', required: false });
    expect(parseSecretSpec('id=npm,env=NPM_TOKEN,REQUIRED=True')?.required).toBe(true);
    expect(parseSecretSpec('id=npm,env=NPM_TOKEN,required=no')).toBeUndefined();
  });

  it('hands buildx the entry without "required", which buildx refuses', () => {
    expect(buildxSecretSpec('id=npm,required=false,env=NPM_TOKEN')).toBe('id=npm,env=NPM_TOKEN');
    expect(buildxSecretSpec('id=npm,src=.npmrc')).toBe('id=npm,src=.npmrc');
  });

  it('names an unset variable or a missing file; an empty variable is set', () => {
    const env = (source: string): SecretSpec => ({ id: 'npm', type: 'env', source, required: true });
    expect(missingSecretSource(env('NPM_TOKEN'), {}, () => true)).toBe('the environment variable NPM_TOKEN is not set');
    expect(missingSecretSource(env('NPM_TOKEN'), { NPM_TOKEN: '' }, () => true)).toBeUndefined();
    expect(missingSecretSource({ id: 'npmrc', type: 'file', source: '.npmrc', required: true }, {}, () => false)).toBe('the file ".npmrc" does not exist');
  });
});

describe('normalizeOptions: a secret whose source is missing', () => {
  let root: string;
  const target = () => ({ workspaceRoot: root, projectRoot: 'apps/api', projectName: 'api', targetName: 'docker-build' });
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nxb-secret-sources-'));
    writeFileSync(join(root, 'Dockerfile'), 'FROM scratch\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const normalize = (secrets: string[], env: Record<string, string> = {}) => normalizeOptions({ context: '.', dockerfile: 'Dockerfile', secrets }, target(), env);

  it('fails before the build, naming the secret and the variable, never a value', () => {
    expect(() => normalize(['id=npm,env=NPM_TOKEN'])).toThrow(
      'Secret "npm" in the "docker-build" options of project "api": the environment variable NPM_TOKEN is not set. Set it, or add "required=false" to the entry to build without the secret.',
    );
    expect(() => normalize(['id=npmrc,src=.npmrc'])).toThrow('Secret "npmrc" in the "docker-build" options of project "api": the file ".npmrc" does not exist.');
    // type=env with no env key: the variable is the id, as buildx reads it.
    expect(() => normalize(['id=GH_TOKEN,type=env'])).toThrow('the environment variable GH_TOKEN is not set');
  });

  it('with required=false, leaves the secret out of the build instead', () => {
    expect(normalize(['id=npm,env=NPM_TOKEN,required=false', 'id=npmrc,src=.npmrc,required=false']).secrets).toEqual([]);
  });

  it('passes a secret whose source is there, relative files from the workspace root', () => {
    writeFileSync(join(root, '.npmrc'), 'x');
    expect(normalize(['id=npm,env=NPM_TOKEN,required=false', 'id=npmrc,src=.npmrc'], { NPM_TOKEN: 't' }).secrets).toEqual(['id=npm,env=NPM_TOKEN', 'id=npmrc,src=.npmrc']);
  });
});
