import { logger, readNxJson, Tree, updateNxJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { initGenerator } from './init';

describe('init generator', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('registers the plugin in nx.json once, however often it runs', async () => {
    await initGenerator(tree, { skipFormat: true });
    await initGenerator(tree, { skipFormat: true });
    const plugins = readNxJson(tree)?.plugins ?? [];
    expect(plugins.filter((p) => (typeof p === 'string' ? p : p.plugin) === 'nx-buildkit')).toHaveLength(1);
  });

  it('edits nx.json minimally: the plugin entry added in the file\'s own layout, everything else byte for byte, and says which target names', async () => {
    const before = '{\n    "$schema": "./node_modules/nx/schemas/nx-schema.json",\n    "targetDefaults": { "build": { "dependsOn": ["^build"], "cache": true } },\n    "plugins": [\n        { "plugin": "@nx/js/typescript", "options": { "typecheck": { "targetName": "typecheck" } } }\n    ]\n}\n';
    tree.write('nx.json', before);
    const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    try {
      // With formatting on: whatever formatFiles does, nx.json keeps its layout.
      await initGenerator(tree);
      expect(tree.read('nx.json', 'utf-8')).toBe(before.replace('} } }\n    ]', '} } },\n        "nx-buildkit"\n    ]'));
      expect(info.mock.calls.map(([line]) => String(line))).toContain(
        'nx-buildkit: added to nx.json\'s plugins; each project with a Dockerfile gets the targets "docker-build" and "docker-lint" (see nx show project <name>).',
      );
      info.mockClear();
      await initGenerator(tree);
      expect((tree.read('nx.json', 'utf-8') ?? '').match(/nx-buildkit/g)).toHaveLength(1);
      expect(info.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('added to nx.json'))).toEqual([]);
    } finally {
      info.mockRestore();
    }
  });

  it('keeps a registration with options as it is', async () => {
    const nxJson = readNxJson(tree) ?? {};
    nxJson.plugins = [{ plugin: 'nx-buildkit', options: { targetName: 'image' } }];
    updateNxJson(tree, nxJson);
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.plugins).toEqual([{ plugin: 'nx-buildkit', options: { targetName: 'image' } }]);
  });

  it('writes a root .dockerignore that keeps secrets, VCS data and dependencies out', async () => {
    await initGenerator(tree, { skipFormat: true });
    const lines = (tree.read('.dockerignore', 'utf-8') ?? '').split('\n');
    for (const pattern of ['**/node_modules', '.git', 'dist', 'tmp', 'coverage', '.nx', '**/.env', '**/.env.*', '**/*.log', '**/__pycache__', '**/.venv', '**/*.pem', '**/*.key']) {
      expect(lines).toContain(pattern);
    }
  });

  it("reads the workspace's Dockerfiles first: no rule that excludes a path one copies, and it says why (pezzo's COPY dist/apps/server)", async () => {
    tree.write('apps/server/Dockerfile', 'FROM node:20-alpine\nWORKDIR /app\nCOPY dist/apps/server .\nCOPY tmp/seed.sql ./seed/\nCOPY . .\n');
    // Its own ignore file wins for this one: the root file does not apply to it.
    tree.write('apps/web/Dockerfile', 'FROM nginx\nCOPY coverage/report /usr/share/nginx/html\n');
    tree.write('apps/web/Dockerfile.dockerignore', '*\n!coverage/report\n');
    const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    try {
      await initGenerator(tree, { skipFormat: true });
      const lines = (tree.read('.dockerignore', 'utf-8') ?? '').split('\n');
      expect(lines).not.toContain('dist');
      expect(lines).not.toContain('tmp');
      expect(lines).toContain('coverage');
      expect(lines).toContain('**/node_modules');
      const printed = info.mock.calls.map(([line]) => String(line));
      expect(printed).toContainEqual(expect.stringMatching(/^nx-buildkit: wrote \.dockerignore .*: it leaves out \.git, .*\*\*\/node_modules/));
      expect(printed).toContain('nx-buildkit: no "dist" rule in .dockerignore: apps/server/Dockerfile:3 COPY dist/apps/server copies dist/apps/server.');
      expect(printed).toContain('nx-buildkit: no "tmp" rule in .dockerignore: apps/server/Dockerfile:4 COPY tmp/seed.sql copies tmp/seed.sql.');
    } finally {
      info.mockRestore();
    }
  });

  it('writes no rule that excludes a file inside a copied folder that a later instruction uses, and says which file and why', async () => {
    tree.write('apps/api/Dockerfile', 'FROM node:20 AS builder\nWORKDIR /app\nCOPY apps/api ./\nRUN cp src/.env.test .env && npm test\nFROM node:20\nCOPY --from=builder /app/keys/server.pem ./\nUSER node\n');
    tree.write('apps/api/src/.env.test', 'DB=test\n');
    tree.write('apps/api/keys/server.pem', 'public cert\n');
    tree.write('apps/api/debug.log', '');
    const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    try {
      await initGenerator(tree, { skipFormat: true });
      const lines = (tree.read('.dockerignore', 'utf-8') ?? '').split('\n');
      expect(lines).not.toContain('**/.env.*');
      expect(lines).not.toContain('**/*.pem');
      // Nothing uses the log: its rule stays.
      expect(lines).toContain('**/*.log');
      const printed = info.mock.calls.map(([line]) => String(line));
      expect(printed).toContain('nx-buildkit: no "**/.env.*" rule in .dockerignore: apps/api/Dockerfile:4 RUN cp src/.env.test .env && npm test reads apps/api/src/.env.test.');
      expect(printed).toContain('nx-buildkit: no "**/*.pem" rule in .dockerignore: apps/api/Dockerfile:6 COPY --from=builder /app/keys/server.pem ./ reads apps/api/keys/server.pem.');
    } finally {
      info.mockRestore();
    }
  });

  it('keeps a dotenv rule out where a build may load a committed dotenv file without naming it, and says so', async () => {
    tree.write('apps/web/Dockerfile', 'FROM node:20\nWORKDIR /app\nCOPY apps/web ./\nRUN npm run build\n');
    tree.write('apps/web/.env.production', 'VITE_API=/api\n');
    const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    try {
      await initGenerator(tree, { skipFormat: true });
      expect((tree.read('.dockerignore', 'utf-8') ?? '').split('\n')).not.toContain('**/.env.*');
      expect(info.mock.calls.map(([line]) => String(line))).toContain(
        'nx-buildkit: no "**/.env.*" rule in .dockerignore: apps/web/Dockerfile:3 COPY apps/web ./ sends apps/web/.env.production (a dotenv file that apps/web/Dockerfile:4 RUN npm run build may load without naming it).',
      );
    } finally {
      info.mockRestore();
    }
  });

  it('warns when an existing .dockerignore excludes what a Dockerfile copies, and keeps the file', async () => {
    tree.write('.dockerignore', 'dist\n');
    tree.write('apps/server/Dockerfile', 'FROM node:20\nCOPY dist/apps/server .\n');
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    try {
      await initGenerator(tree, { skipFormat: true });
      expect(tree.read('.dockerignore', 'utf-8')).toBe('dist\n');
      expect(warn.mock.calls.map(([line]) => String(line))).toEqual([expect.stringContaining('excludes dist/apps/server, which apps/server/Dockerfile:2 COPY dist/apps/server copies')]);
    } finally {
      warn.mockRestore();
    }
  });

  it('never replaces an existing .dockerignore', async () => {
    tree.write('.dockerignore', 'mine\n');
    await initGenerator(tree, { skipFormat: true });
    expect(tree.read('.dockerignore', 'utf-8')).toBe('mine\n');
  });

  it('adds the record folder to .gitignore unless dist is already ignored', async () => {
    tree.write('.gitignore', 'node_modules');
    await initGenerator(tree, { skipFormat: true });
    expect(tree.read('.gitignore', 'utf-8')).toBe('node_modules\n\n# nx-buildkit build records\n/dist/docker\n');
    await initGenerator(tree, { skipFormat: true });
    expect((tree.read('.gitignore', 'utf-8') ?? '').match(/dist\/docker/g)).toHaveLength(1);

    const other = createTreeWithEmptyWorkspace();
    other.write('.gitignore', '/dist\n');
    await initGenerator(other, { skipFormat: true });
    expect(other.read('.gitignore', 'utf-8')).toBe('/dist\n');
  });
});
