import type * as fs from 'node:fs';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { phaseWorkspace } from '../../../../test/phase-workspace';
import { parseDockerfile } from '../../dockerfile';
import { connectEngine } from '../../engine/client';
import { createRunDockerfiles } from '../run-dockerfiles';
import { createRunState } from '../run-state';
import { workspaceImagesOf } from '../workspace-images';
import { planAll } from './plan-all';

/**
 * Against the real engine (the base-image prefetch lists its images); nothing is built. Every Dockerfile of a run is
 * read once and parsed once per set of build args, by the prefetch, the hash, the pruned-dependencies and
 * local-dependency checks, and the hashing of a workspace parent image alike.
 */
describe('planAll', () => {
  const ws = phaseWorkspace('plan-all');
  beforeAll(() => {
    ws.project('parent', 'FROM scratch\nCOPY p.txt /p.txt\n', { 'p.txt': 'parent\n' });
    const child = (name: string) => `ARG FLAVOUR=plain\nFROM ${ws.imageOf('parent')}\nCOPY package.json ./\nRUN npm install\nCOPY ${name}.txt /\n`;
    ws.project('child', child('child'), { 'child.txt': 'child\n', 'package.json': '{"name":"child","dependencies":{}}\n' }, { buildArgs: { FLAVOUR: 'spicy' } });
    ws.project('sibling', child('sibling'), { 'sibling.txt': 'sibling\n', 'package.json': '{"name":"sibling","dependencies":{}}\n' });
  });
  afterAll(() => ws.cleanup());

  const countingRun = () => {
    const reads: string[] = [];
    const parses: string[] = [];
    const dockerfiles = createRunDockerfiles(
      (path) => {
        reads.push(path);
        return require('node:fs').readFileSync(path) as Buffer;
      },
      (text, buildArgs) => {
        parses.push(`${text.includes('COPY p.txt') ? 'parent' : text.includes('child.txt') ? 'child' : 'sibling'} ${JSON.stringify(buildArgs)}`);
        return parseDockerfile(text, buildArgs);
      },
    );
    const run = createRunState(connectEngine(), () => undefined, workspaceImagesOf(ws.context()), dockerfiles);
    return { run, reads, parses };
  };
  const dockerfileOf = (project: string) => join(ws.root, 'apps', project, 'Dockerfile');

  it('reads each Dockerfile once, parses it once per set of build args, and hashes a workspace parent once, for two images FROM it', async () => {
    const { tasks } = ws.tasks(['child', 'sibling']);
    const { run, reads, parses } = countingRun();
    // Whoever reads a Dockerfile, through the run or around it.
    const fromDisk: string[] = [];
    // The module object itself (an `import *` namespace cannot be spied on): what every module's readFileSync calls.
    const nodeFs = require('node:fs') as typeof fs;
    const read = nodeFs.readFileSync;
    const readFileSync = jest.spyOn(nodeFs, 'readFileSync');
    readFileSync.mockImplementation(((path: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
      if (typeof path === 'string' && path.endsWith('/Dockerfile')) fromDisk.push(path);
      return read(path, ...(rest as [undefined]));
    }) as typeof fs.readFileSync);
    try {
      await planAll(tasks, tasks.ids, run);
    } finally {
      readFileSync.mockRestore();
    }
    expect(fromDisk.sort()).toEqual(reads.slice().sort());
    const [child, sibling] = tasks.ids.map((id) => tasks.get(id));
    expect(child.plan?.bases[ws.imageOf('parent')]).toMatch(/^nxb:/);
    expect(sibling.plan?.bases[ws.imageOf('parent')]).toBe(child.plan?.bases[ws.imageOf('parent')]);
    expect(reads.sort()).toEqual([dockerfileOf('child'), dockerfileOf('parent'), dockerfileOf('sibling')].sort());
    // The child's hash reads it with its build args; the pruned-deps and Node-install checks read it as written.
    expect(parses.sort()).toEqual(['child {"FLAVOUR":"spicy"}', 'child {}', 'parent {}', 'sibling {}']);
  });

  it('gives each image the hash a run that reads from the disk gives it, the parent planned in the run too', async () => {
    const counted = countingRun();
    const first = ws.tasks(['parent', 'child', 'sibling']).tasks;
    await planAll(first, first.ids, counted.run);
    expect(counted.reads.sort()).toEqual([dockerfileOf('child'), dockerfileOf('parent'), dockerfileOf('sibling')].sort());
    const second = ws.tasks(['parent', 'child', 'sibling']).tasks;
    await planAll(second, second.ids, createRunState(connectEngine(), () => undefined, workspaceImagesOf(ws.context())));
    expect(first.ids.map((id) => first.get(id).plan?.hash)).toEqual(second.ids.map((id) => second.get(id).plan?.hash));
    expect(first.get('child:docker-build').plan?.bases[ws.imageOf('parent')]).toBe(`nxb:${first.get('parent:docker-build').plan?.hash}`);
  });

  it('fails a task whose image cannot be hashed with the first line of why, and plans the others', async () => {
    ws.project('gone', 'FROM scratch\n');
    const { tasks, lines } = ws.tasks(['gone', 'parent']);
    rmSync(dockerfileOf('gone'));
    await planAll(tasks, tasks.ids, createRunState(connectEngine(), () => undefined, workspaceImagesOf(ws.context())));
    expect(lines).toEqual([expect.stringMatching(/^gone    failed   .*ENOENT/)]);
    expect(tasks.get('parent:docker-build').plan?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect([...tasks.drain()].map(({ task, result }) => [task, result.status])).toEqual([['gone:docker-build', 'failure']]);
  });
});
