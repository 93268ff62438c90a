import { connectEngine } from './client';

/** Against the real engine: an inspection answers as the listing does for the same image. */
describe('ApiEngineClient.inspectImage', () => {
  const engine = connectEngine();

  it('finds an image by any spelling of its tag and by its ID, with what the listing says of it; undefined when absent', async () => {
    const listed = (await engine.listImages()).find((image) => image.repoTags.includes('debian:bookworm-slim'));
    expect(listed).toBeDefined();
    const byTag = await engine.inspectImage?.('debian:bookworm-slim');
    expect(byTag).toEqual(listed);
    expect((await engine.inspectImage?.('docker.io/library/debian:bookworm-slim'))?.id).toBe(listed?.id);
    expect((await engine.inspectImage?.(listed?.id as string))?.repoTags).toEqual(listed?.repoTags);
    expect(await engine.inspectImage?.('nxb-absent-image/never:built')).toBeUndefined();
    expect(await engine.inspectImage?.('localhost:5999/nxb-absent/never:built')).toBeUndefined();
    expect(await engine.inspectImage?.('Not-A:valid:reference')).toBeUndefined();
  });
});
