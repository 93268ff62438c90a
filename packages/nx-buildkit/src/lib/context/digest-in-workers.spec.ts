import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestFilesInWorkers, workerCount, worthWorkers, WORKER_MIN_BYTES, WORKER_MIN_FILES } from './digest-in-workers';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

describe('digestFilesInWorkers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nxb-digest-workers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the sha256 of each file in the order given, whatever the number of workers', async () => {
    const contents = ['', 'a', 'hello\n', 'x'.repeat(3 * (1 << 20) + 17), 'last'];
    const paths = contents.map((content, i) => {
      const path = join(dir, `f${i}.txt`);
      writeFileSync(path, content);
      return path;
    });
    for (const workers of [1, 2, 3, 8]) expect(await digestFilesInWorkers(paths, workers)).toEqual(contents.map(sha256));
  });

  it('reads a name that is not UTF-8, given as its bytes', async () => {
    const path = Buffer.concat([Buffer.from(`${dir}/bad-`), Buffer.from([0xff]), Buffer.from('.txt')]);
    writeFileSync(path, 'bytes');
    expect(await digestFilesInWorkers([path], 1)).toEqual([sha256('bytes')]);
  });

  it('rejects with the file system error of a file that is gone, code kept; the workers go on serving', async () => {
    await expect(digestFilesInWorkers([join(dir, 'f0.txt'), join(dir, 'missing.txt')], 2)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await digestFilesInWorkers([join(dir, 'f1.txt'), join(dir, 'f2.txt')], 2)).toEqual([sha256('a'), sha256('hello\n')]);
  });

  it('serves requests that overlap (several images of a run at once)', async () => {
    const paths = [0, 1, 2, 4].map((i) => join(dir, `f${i}.txt`));
    const [a, b] = await Promise.all([digestFilesInWorkers(paths, 2), digestFilesInWorkers([...paths].reverse(), 2)]);
    expect(b).toEqual([...a].reverse());
  });
});

describe('when workers are worth it', () => {
  it('many files or many bytes; one worker per core, at most 4', () => {
    expect(worthWorkers(WORKER_MIN_FILES - 1, WORKER_MIN_BYTES - 1)).toBe(false);
    expect(worthWorkers(WORKER_MIN_FILES, 0)).toBe(true);
    expect(worthWorkers(1, WORKER_MIN_BYTES)).toBe(true);
    expect([1, 2, 8].map((cores) => workerCount(cores))).toEqual([1, 2, 4]);
  });
});
