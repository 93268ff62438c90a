// B7 multi-platform no-op: N service images built for linux/amd64 and linux/arm64 and pushed as one index each,
// against the same N images built for linux/amd64 alone, both unchanged, on a warm engine with the containerd image
// store (a dockerd in a network namespace of its own, the only kind of engine the docker driver builds several
// platforms on) and one registry on 127.0.0.1. Both skip the same way (the containerd store keeps the pushed image or
// index under the hash tag, checked in the registry because of push), so the ratio is what a second platform adds to
// a no-op: the issue asks for at most 1.1×.
//
// The bases are a two-platform index in the registry, as Docker Hub's debian is: the amd64 stand-in and the arm64 one
// of scripts/base-images-arm64.sh. The service Dockerfiles have no RUN step, so the first builds need no emulation.
import { writeServiceProject } from '../lib/fixtures.mjs';
import { startMachines } from '../lib/machines.mjs';
import { run } from '../lib/run.mjs';
import { ratio, summarize } from '../lib/stats.mjs';
import { createWorkspace } from '../lib/workspace.mjs';
import { SERVICE_BASE_IMAGES } from '../../../bench/scenarios.mjs';
import { expectRecords } from './timed-runs.mjs';

const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const ARM64_DEBIAN = 'arm64v8/debian:bookworm-slim';

export async function benchMultiPlatformNoop({ installDir, config, log }) {
  if ((await run('docker', ['image', 'inspect', ARM64_DEBIAN], { allowFailure: true })).exitCode !== 0) {
    throw new Error(`B7 needs the arm64 stand-in ${ARM64_DEBIAN}: run "bash scripts/setup-emulation.sh && bash scripts/base-images-arm64.sh" and rerun.`);
  }
  const machines = startMachines();
  try {
    const { host } = await machines.registry();
    const base = `${host}/nxb-bench-b7-debian:bookworm-slim`;
    for (const [local, arch] of [[SERVICE_BASE_IMAGES[0], 'amd64'], [ARM64_DEBIAN, 'arm64']]) {
      await run('docker', ['tag', local, `${base}-${arch}`]);
      await run('docker', ['push', '--quiet', `${base}-${arch}`]);
    }
    await run('docker', ['buildx', 'imagetools', 'create', '--tag', base, `${base}-amd64`, `${base}-arm64`]);

    const workspace = (name, platforms) => {
      const prefix = `nxb-bench-${name}-`;
      const ws = createWorkspace(installDir, name, { plugins: [{ plugin: 'nx-buildkit', options: { image: `${prefix}{projectName}`, registry: host, push: true, platforms } }] });
      const names = [];
      for (let i = 0; i < config.images; i++) {
        const project = `svc${String(i + 1).padStart(2, '0')}`;
        const root = writeServiceProject(ws, project, i, config.context);
        // Every image FROM the two-platform base (the service fixture rotates local bases, which have one platform).
        ws.write(`${root}/Dockerfile`, ws.read(`${root}/Dockerfile`).replace(/^FROM .*$/m, `FROM ${base}`));
        names.push(project);
      }
      return { ws, names };
    };
    const single = workspace('b7s', [PLATFORMS[0]]);
    const multi = workspace('b7m', PLATFORMS);
    const engine = await machines.engine(true);
    const noop = async ({ ws, names }) => {
      const result = await ws.nx(['run-many', '-t', 'docker-build', `--parallel=${config.parallel}`, '--output-style=static', '--skip-nx-cache'], { env: engine.env });
      // The containerd store keeps what it pushed: each image is found in the engine under its hash tag, and its hash
      // tag checked in the registry (push), for one platform and for two alike.
      const records = expectRecords(ws, names, 'skipped');
      for (const record of records) if (!record.digest) throw new Error(`B7: ${record.project} was skipped without its registry digest`);
      return { seconds: result.ms / 1000, records };
    };

    log(`B7: first builds of ${config.images} images for ${PLATFORMS[0]}, then for ${PLATFORMS.join(' + ')} (pushed as indexes), one untimed no-op each`);
    for (const { ws, names } of [single, multi]) {
      await ws.nx(['run-many', '-t', 'docker-build', `--parallel=${config.parallel}`, '--output-style=static', '--skip-nx-cache'], { env: engine.env });
      expectRecords(ws, names, 'built');
    }
    await noop(single);
    const warmed = await noop(multi);
    for (const record of warmed.records) {
      if (Object.keys(record.platformDigests ?? {}).sort().join(',') !== PLATFORMS.join(',')) throw new Error(`B7: ${record.project}'s record does not name both platforms' digests`);
    }

    const singleSeconds = [];
    const multiSeconds = [];
    for (let round = 1; round <= config.runs; round++) {
      singleSeconds.push((await noop(single)).seconds);
      multiSeconds.push((await noop(multi)).seconds);
      log(`B7: round ${round}/${config.runs}: one platform ${singleSeconds.at(-1).toFixed(1)} s, two platforms ${multiSeconds.at(-1).toFixed(1)} s`);
    }
    await machines.stopEngine(engine.id);
    return {
      title: 'B7 multi-platform no-op',
      setup: {
        images: config.images,
        contextPerImage: { files: config.context.files + 3, bytes: config.context.bytes },
        parallel: config.parallel,
        platforms: PLATFORMS,
        command: `nx run-many -t docker-build --parallel=${config.parallel} --skip-nx-cache (NX_DAEMON=false, batch mode), registry and push set, on a warm engine with the containerd image store`,
      },
      wallSeconds: { onePlatform: summarize(singleSeconds), twoPlatforms: summarize(multiSeconds) },
      ratioTwoOverOne: ratio(multiSeconds, singleSeconds),
    };
  } finally {
    await machines.close();
  }
}
