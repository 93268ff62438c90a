// B4 on the oldest and the newest supported Nx (issue #25): the batch-mode no-op beside Nx's floor (as many nx:noop
// tasks), the same images and contexts in a workspace on each major, all four series interleaved round by round.
// What differs between the majors is Nx itself (its batch worker, graph, task runner) and the plugin's per-major code
// paths (lib/nx/nx-internal-adapter.ts); the ratio to each major's own floor separates the two.
import { floorCase, floorRound, floorSummary, warmFloorCase } from './b4-batch-floor.mjs';

export async function benchNxMajors({ installs, config, log }) {
  const sides = [];
  for (const { major, installDir } of installs) {
    // Nx 21 has no preferBatch: batch mode is asked for, as the README and init tell its users.
    const dockerArgs = major < 22 ? ['--batch'] : [];
    for (const size of config.images) sides.push({ major, case: floorCase(installDir, size, `b4nx${major}-${size}`, config.context, dockerArgs) });
  }
  for (const side of sides) {
    log(`B4 Nx ${side.major}: first build of ${side.case.size} images, one untimed no-op`);
    await warmFloorCase(side.case);
  }
  for (let round = 1; round <= config.runs; round++) {
    for (const side of sides) await floorRound(side.case);
    log(`B4 Nx majors: round ${round}/${config.runs}: ${sides.map((s) => `Nx ${s.major} ${s.case.size}: ${s.case.docker.at(-1).toFixed(1)} s vs floor ${s.case.floor.at(-1).toFixed(1)} s`).join(', ')}`);
  }
  return {
    title: 'B4 no-op on the oldest and newest supported Nx',
    setup: { command: 'nx run-many -t docker-build --skip-nx-cache (batch mode; --batch on Nx 21) vs nx run-many -t noop --skip-nx-cache, NX_DAEMON=false', contextPerImage: config.context, majors: installs.map(({ major, nx }) => ({ major, nx })) },
    cases: sides.map((side) => ({ major: side.major, ...floorSummary(side.case) })),
  };
}
