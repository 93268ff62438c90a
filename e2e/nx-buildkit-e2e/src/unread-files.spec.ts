import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contextReadSet, listContextFiles, readsPath } from '../../../packages/nx-buildkit/src/lib/context';
import { listContextReads } from '../../../packages/nx-buildkit/src/lib/dockerfile';
import { copyContext, CorpusEntry, listCorpus, removeContext } from '../fixtures/dockerfile-corpus/load-corpus';
import { expectSuccess, run, runOk } from './support/processes';
import { removeImages } from './support/workspace';

/**
 * The inputs hash and the Nx inputs leave out context files that no instruction reads. This checks that claim against
 * BuildKit for every corpus entry that builds here: a file the model calls unread is changed (and one is added), the
 * image is built again, and its layers must be the same. Where the model says the whole context is read (COPY . .),
 * a new file must count as read.
 */

const built = listCorpus().filter((entry) => entry.expected.equivalence.build);
const prefix = `nxb-e2e-unread-${randomBytes(3).toString('hex')}`;

async function layersOf(dockerfile: string, context: string, tag: string): Promise<string[]> {
  expectSuccess(await run('docker', ['buildx', 'build', '--load', '--quiet', '--file', dockerfile, '--tag', tag, context]), `docker buildx build of ${tag}`);
  return JSON.parse((await runOk('docker', ['image', 'inspect', '--format', '{{json .RootFS.Layers}}', tag])).stdout) as string[];
}

afterAll(async () => {
  await removeImages(prefix);
});

describe('files no instruction reads do not change the image (checked against BuildKit)', () => {
  let precise = 0;

  it.each(built.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry: CorpusEntry) => {
    const context = copyContext(entry);
    const files = mkdtempSync(join(tmpdir(), 'nxb-unread-'));
    try {
      let text = readFileSync(join(context, 'Dockerfile'), 'utf8');
      if (entry.expected.equivalence.build && entry.expected.equivalence.stripSyntax) text = text.replace(/^#\s*syntax=.*\n/, '');
      // The Dockerfile lives outside the context: the file under test is the only change between the two builds.
      const dockerfile = join(files, 'Dockerfile');
      writeFileSync(dockerfile, text);
      const set = contextReadSet(listContextReads(text));
      const planted = `nxb-unread-${randomBytes(3).toString('hex')}.txt`;
      if (set.whole) {
        expect(readsPath(set, planted)).toBe(true);
        return;
      }
      precise++;
      const sent = await listContextFiles({ context, dockerfile: join(context, 'Dockerfile') });
      const unread = sent.filter((path) => !readsPath(set, path));
      expect(readsPath(set, planted)).toBe(false);

      const before = await layersOf(dockerfile, context, `${prefix}-${entry.name}:before`);
      for (const path of unread) appendFileSync(join(context, path), `\nchanged ${randomBytes(3).toString('hex')}\n`);
      writeFileSync(join(context, planted), 'a file no instruction reads\n');
      const after = await layersOf(dockerfile, context, `${prefix}-${entry.name}:after`);
      expect({ changed: [...unread, planted], layers: after }).toEqual({ changed: [...unread, planted], layers: before });
    } finally {
      removeContext(context);
      rmSync(files, { recursive: true, force: true });
    }
  });

  it('checked at least five entries whose reads are known before the build', () => {
    expect(precise).toBeGreaterThanOrEqual(5);
  });
});
