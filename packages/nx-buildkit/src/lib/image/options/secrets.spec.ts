import { parseSecretSpec, secretLikeBuildArgs } from './secrets';

describe('parseSecretSpec', () => {
  it.each([
    ['id=npm,src=/home/me/.npmrc', { id: 'npm', type: 'file', source: '/home/me/.npmrc' }],
    ['id=npm,source=.npmrc', { id: 'npm', type: 'file', source: '.npmrc' }],
    ['src=.npmrc,id=npm', { id: 'npm', type: 'file', source: '.npmrc' }],
    ['type=file,id=npm,src=.npmrc', { id: 'npm', type: 'file', source: '.npmrc' }],
    ['id=token,env=GH_TOKEN', { id: 'token', type: 'env', source: 'GH_TOKEN' }],
    ['id=GH_TOKEN,type=env', { id: 'GH_TOKEN', type: 'env', source: 'GH_TOKEN' }],
    ['type=env,id=token,src=GH_TOKEN', { id: 'token', type: 'env', source: 'GH_TOKEN' }],
    ['id=npmrc', { id: 'npmrc', type: 'file', source: 'npmrc' }],
    ['ID=npm,SRC=.npmrc', { id: 'npm', type: 'file', source: '.npmrc' }],
  ])('%s', (spec, expected) => {
    expect(parseSecretSpec(spec)).toEqual({ ...expected, required: true });
  });

  it.each(['', 'foo', 'ghp_0123456789abcdef', 'src=.npmrc', 'id=', 'id=npm,', '=npm', 'id=npm,type=ssh', 'id=npm,src='])('rejects %j', (spec) => {
    expect(parseSecretSpec(spec)).toBeUndefined();
  });
});

describe('parseSecretSpec against buildx', () => {
  it('rejects keys buildx does not know, so the mistake shows before anything runs', () => {
    expect(parseSecretSpec('id=npm,srcc=.npmrc')).toBeUndefined();
    expect(parseSecretSpec('id=npm,src=.npmrc')).toEqual({ id: 'npm', type: 'file', source: '.npmrc', required: true });
  });
});

describe('secretLikeBuildArgs', () => {
  it('matches whole words of the name, not parts of other words', () => {
    expect(secretLikeBuildArgs({ TOKENIZER_MODEL: 'x', PRIVATE_REGISTRY_URL: 'y', SSH_PRIVATE_KEY: 'z', GITHUB_TOKEN: 't' })).toEqual(['SSH_PRIVATE_KEY', 'GITHUB_TOKEN']);
  });

  it('flags names that suggest secrets and keeps their order', () => {
    const args = { VERSION: '1', NPM_TOKEN: 'x', DB_PASSWORD: 'x', NODE_ENV: 'production', API_KEY: 'x', apiKey: 'x', CLIENT_SECRET: 'x', SSH_KEY: 'x', KEY: 'x' };
    expect(secretLikeBuildArgs(args)).toEqual(['NPM_TOKEN', 'DB_PASSWORD', 'API_KEY', 'apiKey', 'CLIENT_SECRET', 'SSH_KEY', 'KEY']);
  });

  it('does not flag ordinary names', () => {
    expect(secretLikeBuildArgs({ VERSION: '1', NODE_ENV: 'production', KEYBOARD_LAYOUT: 'us', MONKEY: 'x', BASE_IMAGE: 'node', PORT: '80' })).toEqual([]);
  });

  it('returns nothing for no build args', () => {
    expect(secretLikeBuildArgs({})).toEqual([]);
  });
});
