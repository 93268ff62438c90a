import { spawnSync } from 'node:child_process';
import { phaseWorkspace } from '../../../../test/phase-workspace';
import { INPUTS_HASH_LABEL } from '../../engine/buildx-args';
import { connectEngine } from '../../engine/client';
import { createRunState } from '../run-state';
import { workspaceImagesOf } from '../workspace-images';
import { planAll } from './plan-all';
import { lookUpConcurrency, skipUnchanged } from './skip-unchanged';

/**
 * Against the real engine: an image under its inputs hash is made with `docker build` (a scratch image with the
 * label), under a name of its own, removed at the end. The registry side of the skip is checked by the e2e specs
 * build-executor.spec.ts and many-machines.spec.ts.
 */
describe('skipUnchanged', () => {
  const ws = phaseWorkspace('skip');
  beforeAll(() => {
    ws.project('kept', 'FROM scratch\nCOPY k.txt /k.txt\n', { 'k.txt': 'kept\n' });
    ws.project('fresh', 'FROM scratch\nCOPY f.txt /f.txt\n', { 'f.txt': 'fresh\n' });
    ws.project('explained', 'FROM scratch\n');
  });
  afterAll(() => {
    const images = spawnSync('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'], { encoding: 'utf8' }).stdout.split('\n');
    const ours = images.filter((ref) => ['kept', 'fresh', 'explained'].some((project) => ref.startsWith(`${ws.imageOf(project)}:`)));
    if (ours.length) spawnSync('docker', ['image', 'rm', '--force', ...ours]);
    ws.cleanup();
  });

  it('skips an image the engine holds under its inputs hash, queues the others to build, and leaves --explain tasks alone', async () => {
    const { tasks, lines } = ws.tasks(['kept', 'fresh', 'explained'], { explained: { explain: true } });
    const run = createRunState(connectEngine(), () => undefined, workspaceImagesOf(ws.context()));
    await planAll(tasks, tasks.ids, run);
    const kept = tasks.get('kept:docker-build');
    const made = spawnSync('docker', ['build', '--quiet', '--label', `${INPUTS_HASH_LABEL}=${kept.plan?.hash}`, '--tag', kept.plan?.hashRef as string, '-'], { input: 'FROM scratch\nLABEL made=by-the-spec\n', encoding: 'utf8' });
    expect(made.stderr).toBe('');
    lines.length = 0;
    // A fresh run: its listing of the local images holds the one just made.
    const toBuild = await skipUnchanged(tasks, tasks.ids, createRunState(connectEngine(), () => undefined, workspaceImagesOf(ws.context())));
    expect(toBuild).toEqual(['fresh:docker-build']);
    expect(lines.sort()).toEqual([`fresh      queued`, `kept       skipped  (unchanged, ${kept.plan?.hashTag})`].sort());
    expect(tasks.records.get('kept:docker-build')).toMatchObject({ status: 'skipped', skippedBecause: 'local' });
    expect([...tasks.drain()]).toEqual([{ task: 'kept:docker-build', result: { success: true, status: 'success', terminalOutput: '\n' } }]);
    const tagged = spawnSync('docker', ['image', 'inspect', '--format', '{{json .RepoTags}}', kept.plan?.hashRef as string], { encoding: 'utf8' }).stdout;
    expect(JSON.parse(tagged)).toContain(`${ws.imageOf('kept')}:latest`);
  });

  it('looks up at least two images at once and at most eight', () => {
    expect([1, 2, 4, 8, 64].map(lookUpConcurrency)).toEqual([2, 2, 4, 8, 8]);
  });
});
