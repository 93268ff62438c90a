// bench/results.md from the results object (bench/results.json holds the same numbers, every run included).
import { FRESH_OVER_WARM_AT_MOST, goalsTable, HASH_SPEED_OVER_READ_AT_LEAST, NO_OP_OVER_NX_FLOOR_AT_MOST } from './goals.mjs';
import { formatMs, formatRatio, formatSeconds } from './stats.mjs';

export function renderMarkdown(results) {
  const { b1, b2, b3, b4, b4batch, b4nx, b5, b7, b8 } = results.scenarios;
  const lines = [];
  const push = (...more) => lines.push(...more);

  push('# nx-buildkit benchmark results', '');
  if (results.mode === 'quick') {
    push('> **QUICK RUN (NXB_BENCH_QUICK=1): reduced sizes and repetitions, for developing the bench. Not for comparison.**', '');
  }
  if (results.partial) push(`> **Partial run: only ${results.partial.join(', ')} (NXB_BENCH_ONLY); the other sections are kept from earlier runs, each marked with its date.**`, '');
  push(...header(results), '');

  push('## Summary', '', ...summaryTable(results), '');
  push('## Goals', '', 'Each goal is a ratio of medians from its scenario below (sections kept from earlier runs count as they were measured then).', '', ...goalsTable(results.scenarios), '');
  if (b1) push(...withOrigin(b1, sectionB1(b1, results)), '');
  if (b2) push(...withOrigin(b2, sectionB2(b2)), '');
  if (b3) push(...withOrigin(b3, sectionB3(b3, results)), '');
  if (b4) push(...withOrigin(b4, sectionB4(b4)), '');
  if (b4batch) push(...withOrigin(b4batch, sectionB4Batch(b4batch)), '');
  if (b4nx) push(...withOrigin(b4nx, sectionB4NxMajors(b4nx)), '');
  if (b5) push(...withOrigin(b5, sectionFreshRunners(b5)), '');
  if (b7) push(...withOrigin(b7, sectionMultiPlatform(b7)), '');
  if (b8) push(...withOrigin(b8, sectionNxGenerated(b8)), '');
  push(...loadNote(results), '');
  push('## How to rerun', '', '```sh', 'npm run bench                      # full run, writes bench/results.md and bench/results.json', 'NXB_BENCH_QUICK=1 npm run bench    # reduced set for developing the bench (labelled as such)', '```', '');
  push('See bench/README.md for what each scenario does and bench/scenarios.mjs for sizes and repetitions.', '');
  return `${lines.join('\n')}`;
}

function header(results) {
  const m = results.machine;
  const v = results.versions;
  const source = v.nxBuildkitSource;
  return [
    `Run ${results.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} with \`npm run bench\`; the whole run took ${minutes(results.totalSeconds)}.`,
    '',
    `- **Machine:** ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB memory, ${m.os}, kernel ${m.kernel}`,
    `- **Versions:** Docker engine ${v.dockerEngine} (CLI ${v.dockerCli}, ${v.storageDriver}), buildx ${v.buildx.split(' ')[0]} (\`${v.builderDriver}\` driver), ` +
      `Nx ${v.nx}, @nx/devkit ${v.nxDevkit}, @nx/docker ${v.nxDocker}, Node ${v.node}, ` +
      `nx-buildkit ${v.nxBuildkit} (built from ${source.commit}${source.uncommittedChanges ? ' with uncommitted changes' : ''}, installed from its packed tarball)`,
    `- **Base images** are the local test stand-ins of scripts/base-images.sh; apt and npm downloads inside builds go to Debian's archive and the npm registry over the network.`,
    '- **Reading the figures:** each is the median with the min–max of its runs in brackets. A ratio is the ratio of the two medians, with the range of the per-round ratios; the two sides of a ratio ran interleaved (A, B, A, B …) in this session. Wall times are whole commands, from starting `nx` to its exit, with the Nx daemon off (as on CI).',
  ];
}

/** A section kept from an earlier run (a partial run keeps it) says which run it is from, under its heading. */
function withOrigin(scenario, lines) {
  if (!scenario.fromRun) return lines;
  const when = scenario.fromRun.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return [lines[0], '', `> From the run of ${when} (nx-buildkit ${scenario.fromRun.commit ?? 'unknown'}), kept by a later partial run.`, ...lines.slice(1)];
}

function summaryTable(results) {
  const { b1, b2, b3, b4, b4batch, b4nx, b5, b7, b8 } = results.scenarios;
  const rows = ['| Scenario | nx-buildkit | Compared with | Ratio (compared ÷ nx-buildkit; above 1: nx-buildkit is faster) |', '|---|---|---|---|'];
  if (b1) {
    rows.push(`| B1 no-op, ${b1.setup.images} images, run-many --batch=false (one process per image) | ${formatSeconds(b1.wallSeconds.nxBuildkit)} | @nx/docker \`docker:build\`: ${formatSeconds(b1.wallSeconds.nxDocker)} | ${formatRatio(b1.ratioNxDockerOverNxBuildkit)} |`);
    if (b1.wallSeconds.nxBuildkitBatch) {
      rows.push(`| B1 no-op, ${b1.setup.images} images, run-many in batch mode (the default since preferBatch) | ${formatSeconds(b1.wallSeconds.nxBuildkitBatch)} | @nx/docker \`docker:build\`: ${formatSeconds(b1.wallSeconds.nxDocker)} | ${formatRatio(b1.ratioNxDockerOverNxBuildkitBatch)} |`);
    }
  }
  if (b8) {
    rows.push(`| B8 Nx-generated web image, install step (${b8.install.packages.pruned} of ${b8.install.packages.whole} packages) | pruned: ${formatSeconds(b8.install.seconds.pruned)} | whole root lockfile: ${formatSeconds(b8.install.seconds.whole)} | ${formatRatio(b8.install.ratioWholeOverPruned)} |`);
    for (const change of b8.changes.filter((c) => c.nx)) {
      rows.push(`| B8 ${change.label}, one-line source change | generated Dockerfile: ${formatSeconds(change.generated.wallSeconds)} | Nx's setup-docker Dockerfile: ${formatSeconds(change.nx.wallSeconds)} | ${formatRatio(change.ratioNxOverGenerated)} |`);
    }
  }
  if (b2) {
    for (const app of b2.apps) {
      rows.push(`| B2 ${app.label}, one-line source change | generated Dockerfile: ${formatSeconds(app.rebuildSeconds.generated)} | naive Dockerfile: ${formatSeconds(app.rebuildSeconds.naive)} | ${formatRatio(app.ratioNaiveOverGenerated)} |`);
    }
  }
  if (b3) {
    const serial = b3.modes[0];
    for (const speedup of b3.speedups) {
      const mode = b3.modes.find((m) => m.id === speedup.of);
      rows.push(`| B3 ${b3.setup.images.length} images from a cold cache | ${mode.label}: ${formatSeconds(mode.wallSeconds)} | ${serial.label}: ${formatSeconds(serial.wallSeconds)} | ${formatRatio(speedup.ratio)} |`);
    }
    if (b3.batch !== 'available') rows.push(`| B3 batch | ${b3.batch} | | |`);
  }
  if (b4) {
    const { imageAxis, contextAxis } = axesOf(b4);
    if (imageAxis.length > 1) {
      const noop = imageAxis.map((c) => `${c.images}: ${c.noopSeconds.median.toFixed(1)} s`).join(', ');
      const change = imageAxis.map((c) => `${c.images}: ${c.oneChangeSeconds.median.toFixed(1)} s`).join(', ');
      rows.push(`| B4 growth with the number of images (${imageAxis[0].context} contexts) | no-op ${noop}; one change ${change} | | each extra image adds ~${marginalMs(imageAxis)} ms to a no-op |`);
    }
    if (contextAxis.length > 1) {
      const noop = contextAxis.map((c) => `${c.totalContextMB} MB: ${c.noopSeconds.median.toFixed(1)} s`).join(', ');
      const change = contextAxis.map((c) => `${c.totalContextMB} MB: ${c.oneChangeSeconds.median.toFixed(1)} s`).join(', ');
      rows.push(`| B4 growth with context size (${contextAxis[0].images} images) | no-op ${noop}; one change ${change} | | each extra MB of context adds ~${marginalMsPerMB(contextAxis)} ms to a no-op |`);
    }
  }
  if (b4batch) {
    for (const c of b4batch.cases) {
      const ratio = { median: 1 / c.overFloor.median, min: 1 / c.overFloor.max, max: 1 / c.overFloor.min };
      const batchFloor = c.batchFloorSeconds ? `; Nx's batch floor (a batch executor that does nothing): ${formatSeconds(c.batchFloorSeconds)}, ${c.batchFloorOverFloor.median.toFixed(2)}× the floor` : '';
      rows.push(`| B4 no-op, ${c.images} images, batch mode, beside Nx's floor | ${formatSeconds(c.dockerSeconds)} | ${c.images} \`nx:noop\` tasks: ${formatSeconds(c.floorSeconds)}${batchFloor} | ${formatRatio(ratio)} (nx-buildkit at ${c.overFloor.median.toFixed(2)}× the floor) |`);
    }
    rows.push(`| B4 no-op in batch mode, each extra image | ~${b4batch.perExtraImageMs.nxBuildkit} ms | Nx's floor: ~${b4batch.perExtraImageMs.floor} ms per extra task | |`);
  }
  if (b4nx) {
    for (const c of b4nx.cases) {
      const ratio = { median: 1 / c.overFloor.median, min: 1 / c.overFloor.max, max: 1 / c.overFloor.min };
      rows.push(`| B4 no-op, ${c.images} images, batch mode, on Nx ${c.major} | ${formatSeconds(c.dockerSeconds)} | ${c.images} \`nx:noop\` tasks on Nx ${c.major}: ${formatSeconds(c.floorSeconds)} | ${formatRatio(ratio)} (nx-buildkit at ${c.overFloor.median.toFixed(2)}× the floor) |`);
    }
  }
  if (b5) {
    rows.push(`| B5 fresh runner, ${b5.b5.setup.images} unchanged images (empty engine, images in a registry on 127.0.0.1) | skipped through the registry: ${formatSeconds(b5.b5.wallSeconds.nxBuildkit)} | @nx/docker \`docker:build\` rebuilding: ${formatSeconds(b5.b5.wallSeconds.nxDocker)} | ${formatRatio(b5.b5.ratioNxDockerOverNxBuildkit)} |`);
    rows.push(`| B6 fresh runner, one changed image among ${b5.b6.setup.images} | registry layer cache: ${formatSeconds(b5.b6.wallSeconds.withRegistryCache)} | no layer cache (cacheFrom/cacheTo []): ${formatSeconds(b5.b6.wallSeconds.withoutCache)} | ${formatRatio(b5.b6.ratioWithoutOverWith)} |`);
  }
  if (b7) {
    rows.push(`| B7 no-op, ${b7.setup.images} images for ${b7.setup.platforms.join(' + ')} (one index each; warm containerd-store engine, registry) | ${formatSeconds(b7.wallSeconds.twoPlatforms)} | the same images for ${b7.setup.platforms[0]} only: ${formatSeconds(b7.wallSeconds.onePlatform)} | ${formatRatio(b7.ratioTwoOverOne)} (two ÷ one platform; the target is ≤ 1.1) |`);
  }
  return rows;
}

function sectionB1(b1, results) {
  const lines = [
    '## B1 no-op',
    '',
    `${b1.setup.images} service images (Dockerfile: \`FROM\` one of three base images, \`COPY config/\`, \`COPY src/\`; ${describeContext(b1.setup.contextPerImage)} of context each), all built and unchanged. ` +
      `nx-buildkit's inferred \`docker-build\` target (hash the inputs, find the image, skip) against @nx/docker's inferred \`docker:build\` (\`docker build .\`, every step a BuildKit cache hit) on the same Dockerfiles and contexts. ` +
      `Command: \`${b1.setup.command}\`; ${b1.wallSeconds.nxBuildkit.runs.length} interleaved rounds. ` +
      'Both run on an engine whose build cache holds every layer; on a machine without that cache (a fresh CI runner) `docker build` rebuilds, while nx-buildkit can still skip by finding the hash tag in a registry — not measured here.',
    '',
    '| | Wall time | Ratio (@nx/docker ÷ this) |',
    '|---|---|---|',
    `| nx-buildkit, one task per image (\`--batch=false\`) | ${formatSeconds(b1.wallSeconds.nxBuildkit, 2)} | ${formatRatio(b1.ratioNxDockerOverNxBuildkit)} |`,
  ];
  if (b1.wallSeconds.nxBuildkitBatch) lines.push(`| nx-buildkit, Nx batch mode (\`--batch\`) | ${formatSeconds(b1.wallSeconds.nxBuildkitBatch, 2)} | ${formatRatio(b1.ratioNxDockerOverNxBuildkitBatch)} |`);
  else lines.push('| nx-buildkit, Nx batch mode | batch mode: not available in this version | |');
  lines.push(
    `| @nx/docker \`docker:build\` | ${formatSeconds(b1.wallSeconds.nxDocker, 2)} | 1 |`,
    '',
    '**Skip cost per image** (hash + existence check + tagging + record):',
    '',
    `- inside \`run-many\` (the executor's own \`durationMs\`, median over the images of a run, ${b1.setup.parallel} tasks at once on ${results.machine.cores} cores): ${formatMs(b1.skipCostPerImageMs.inRunMany)}`,
    `- in one process, one image after the other (the executor function Nx calls, without Nx): ${formatMs(b1.skipCostPerImageMs.inProcessExecutor)}, of which the inputs hash (\`computeBuildInputs\`: walk, ignore rules, sha256 of every file, base image IDs) ${formatMs(b1.skipCostPerImageMs.inProcessHashOnly)}`,
    '',
    ...hashingLines(b1.hashing),
    ...(b1.smallFileHashing ? ['', ...hashingLines(b1.smallFileHashing)] : []),
  );
  return lines;
}

/** Cold hashing of one context beside reading its files once. */
function hashingLines(hashing) {
  return [
    `**Hashing throughput** on a context of ${hashing.files.toLocaleString('en-US')} files / ${hashing.megabytes} MB (MB = 10⁶ bytes; files in the page cache, no digest cache: a fresh runner's case; read, hash, read, hash …):`,
    '',
    '| | Time | Throughput |',
    '|---|---|---|',
    `| read every file once (the floor of earlier runs: list + fs/promises readFile, 32 at a time, nothing else) | ${formatSeconds(hashing.readOnceSeconds, 2)} | ${formatRate(hashing.readOnceMBps)} |`,
    ...(hashing.readOnceSyncSeconds
      ? [
          `| read every file once, synchronously on one thread (the fastest read here) | ${formatSeconds(hashing.readOnceSyncSeconds, 2)} | |`,
          `| read and sha256 every file once, synchronously on one thread (the digest floor on one core) | ${formatSeconds(hashing.digestOnceSyncSeconds, 2)} | |`,
        ]
      : []),
    `| nx-buildkit inputs hash (\`computeBuildInputs\`, no digest cache) | ${formatSeconds(hashing.hashSeconds, 2)} | ${formatRate(hashing.hashMBps)} |`,
    `| of which the walk alone (\`walkContext\`: lstat + ignore rules) | ${formatSeconds(hashing.walkSeconds, 2)} | |`,
    '',
    `Hashing takes ${formatRatio(hashing.hashOverRead)} the time of reading the files once: it runs at ${Math.round(100 / hashing.hashOverRead.median)} % of that read speed (goal, issue 31: at least ${Math.round(HASH_SPEED_OVER_READ_AT_LEAST * 100)} %).` +
      (hashing.hashOverReadSync
        ? ` Against the fastest read it runs at ${Math.round(100 / hashing.hashOverReadSync.median)} %, and at ${Math.round(100 / hashing.hashOverDigestSync.median)} % of reading and hashing once on one core: sha256 alone (~1.1 GB/s per core on this machine) is slower than a synchronous read of page-cached files, so on one core no hasher can match that read.`
        : ''),
  ];
}

function sectionB2(b2) {
  const lines = [
    '## B2 code-only change',
    '',
    'Each app has two Dockerfiles in its folder: the one nx-buildkit\'s generator writes (`nx g nx-buildkit:backend api ' +
      `--systemPackages=${b2.setup.pythonSystemPackages.join(',')}\`, \`nx g nx-buildkit:frontend web\`) and a naive one (\`COPY . .\` first, then every install; below). ` +
      'Both are built by the same inferred nx-buildkit targets, so only the Dockerfile differs. One line is appended to one source file, then both images are rebuilt (generated, naive, generated, naive …). ' +
      `Command: \`${b2.setup.command}\`.`,
    '',
    '| App | Dockerfile | Rebuild, wall | Ratio (naive ÷ generated), wall | Executor time | Ratio, executor time | Steps cached | First build (1 run) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const app of b2.apps) {
    lines.push(
      `| ${app.label} (\`${app.editedFile}\`) | generated | ${formatSeconds(app.rebuildSeconds.generated)} | ${formatRatio(app.ratioNaiveOverGenerated)} | ${formatSeconds(app.executorSeconds.generated)} | ${app.executorRatioNaiveOverGenerated ? formatRatio(app.executorRatioNaiveOverGenerated) : 'n/a'} | ${app.stepsCached.generated} | ${app.firstBuildSeconds.generated.toFixed(1)} s |`,
      `| | naive | ${formatSeconds(app.rebuildSeconds.naive)} | | ${formatSeconds(app.executorSeconds.naive)} | | ${app.stepsCached.naive} | ${app.firstBuildSeconds.naive.toFixed(1)} s |`,
    );
  }
  lines.push(
    '',
    '"Wall" is the whole `nx run` command; "executor time" is the build itself, from the executor\'s record (`durationMs`): the difference, about the same for both, is Nx starting up and computing the project graph. ' +
      'The Python app has no third-party Python dependencies: the bench machines reach no Python package index, so its cost is the apt install of its system packages (downloaded from Debian\'s archive on every naive rebuild). The frontend installs its real npm dependencies (React, React Router, TanStack Query, date-fns, zod, clsx; Vite 8) from the npm registry. ' +
      '"First build" ran once, on whatever build cache the engine already had (it is not emptied before B2), and is shown for orientation only.',
    '',
  );
  const floored = b2.apps.filter((app) => app.nxFloorSeconds);
  if (floored.length) {
    lines.push(
      `Nx's own cost of one task, \`nx run <project>:noop\` (nx:noop) in the same rounds: ${floored.map((app) => `${app.label} ${formatSeconds(app.nxFloorSeconds)}`).join(', ')}. No Dockerfile can rebuild in less wall time than that, so the best ratio any could reach is the naive rebuild over it: ${floored.map((app) => `${app.label} ${app.ratioNaiveOverNxFloor.median.toFixed(2)}×`).join(', ')}.`,
      '',
    );
  }
  const executorFloored = b2.apps.filter((app) => app.executorFloorSeconds);
  if (executorFloored.length) {
    lines.push(
      'What any Nx executor in batch mode (as nx-buildkit:build is) needs at least to rebuild the generated Dockerfile, in the same rounds: ' +
        'one task of a batch executor that does nothing (`nx run <project>:batchnoop`: Nx, a process for the task, Nx\'s batch runner) plus a bare ' +
        `\`${b2.bareBuildCommand}\`. The naive rebuild over that sum is the best ratio such an executor can reach with the generated Dockerfile; the generated rebuild over it is what nx-buildkit adds.`,
      '',
      '| App | nx:noop | Batch floor, one task | Bare build | Floor (batch floor + bare build) | Naive ÷ floor (the best ratio) | nx-buildkit ÷ floor |',
      '|---|---|---|---|---|---|---|',
      ...executorFloored.map(
        (app) =>
          `| ${app.label} | ${formatSeconds(app.nxFloorSeconds)} | ${formatSeconds(app.batchFloorSeconds)} | ${formatSeconds(app.bareBuildSeconds, 2)} | ${formatSeconds(app.executorFloorSeconds)} | ${formatRatio(app.ratioNaiveOverExecutorFloor)} | ${formatRatio(app.ratioGeneratedOverExecutorFloor)} |`,
      ),
      '',
    );
  }
  if (b2.profile) {
    const { generated, batchnoop } = b2.profile.batchProcess;
    lines.push(
      `### Where the time of a ${b2.profile.app} rebuild goes`,
      '',
      `The batch process of \`nx run ${b2.profile.project}:${b2.profile.target}\` after a one-line edit, beside the batch floor's one task, from V8 profiles (scripts/bench/probes/cpu-profile-hook.cjs, 1 ms sampling, which slows module loading a little), median of ${b2.profile.runs} runs of each; nx-buildkit’s running time by pipeline phase (lib/image/phases). Idle time is the process waiting: for the buildx process, the engine and the file system. What the rest of \`nx run\` costs is the same for both: the batch floor's wall time above.`,
      '',
      ...batchProcessTable(generated, batchnoop, 'waiting (idle: mostly the buildx build, also the engine and the file system)'),
      '',
    );
  }
  for (const app of b2.apps) {
    lines.push(`<details><summary>${app.label}: the two Dockerfiles</summary>`, '', '```dockerfile', `# generated (${app.targets.generated})`, app.dockerfiles.generated.trimEnd(), '', `# naive (${app.targets.naive})`, app.dockerfiles.naive.trimEnd(), '```', '', '</details>', '');
  }
  return lines;
}

function sectionB3(b3, results) {
  const kinds = b3.setup.images.map((i) => (i.kind === 'python' ? `${i.name} (Python; apt ${i.systemPackages.join(', ')})` : `${i.name} (Vite + React)`));
  const lines = [
    '## B3 parallel',
    '',
    `${b3.setup.images.length} images with generated Dockerfiles, each built from an empty build cache (base images kept): ${kinds.join(', ')}. ` +
      `Before every run the bench removes its images and runs \`docker builder prune -af\` (layers and cache mounts go; apt lists and npm packages are downloaded again). Modes run interleaved, one cold run each per round. Command: \`${b3.setup.command}\`.`,
    '',
    '| Mode | Wall time | Speed-up over the first row |',
    '|---|---|---|',
  ];
  for (const mode of b3.modes) {
    const speedup = b3.speedups.find((s) => s.of === mode.id);
    lines.push(`| \`${mode.args.join(' ')}\` | ${formatSeconds(mode.wallSeconds)} | ${speedup ? formatRatio(speedup.ratio) : '1'} |`);
  }
  if (b3.bare) lines.push(`| ${b3.bare.command} | ${formatSeconds(b3.bare.wallSeconds)} | ${formatRatio(b3.bare.ratioSerialOverBare)} |`);
  if (b3.batch !== 'available') lines.push(`| batch | ${b3.batch} | |`);
  else if (b3.batchFollowsParallel) lines.push('', 'In batch mode the executor builds the whole batch in one process, as many images at once as `--parallel` says.');
  else lines.push('', `In batch mode the executor builds the whole batch in one process and picks its own concurrency (at least 2; ${results.machine.cores} cores here); \`--parallel\` does not bound it.`);
  if (b3.bare) {
    lines.push(
      '',
      `The last row builds the same generated Dockerfiles with bare \`docker buildx build\`s, ${b3.bare.label.replace(/^bare buildx, /, '')} as the batch row allows, after the same prune, with no Nx and no executor: what BuildKit and these Dockerfiles allow side by side on this machine. ` +
        `Its speed-up over the first row (${b3.bare.ratioSerialOverBare.median.toFixed(2)}×) is the most any Nx mode can reach here; a goal above it lies beyond its floor.`,
    );
  }
  return lines;
}

function sectionB4(b4) {
  const lines = [
    '## B4 growth',
    '',
    `One workspace of service images (as in B1) per case: ${[...new Set(b4.cases.map((c) => c.context))].map((context) => `${listWords(b4.cases.filter((c) => c.context === context).map((c) => c.images))} images with ${context} contexts`).join('; ')}. No-op: nothing changed; one change: one line appended to one source file of one image (a different image each round), so one image is built and the rest skipped. All workspaces run interleaved round by round. Command: \`${b4.setup.command}\`.`,
    '',
    '| Context per image | Images | Context in total | No-op | One change | No-op per image |',
    '|---|---|---|---|---|---|',
  ];
  for (const c of b4.cases) {
    lines.push(`| ${c.context} (${describeContext(c.contextPerImage)}) | ${c.images} | ${c.totalContextMB} MB | ${formatSeconds(c.noopSeconds)} | ${formatSeconds(c.oneChangeSeconds)} | ${formatMs(c.noopPerImageMs)} |`);
  }
  lines.push('');
  const { imageAxis, contextAxis } = axesOf(b4);
  if (imageAxis.length > 1) {
    lines.push(`- Number of images (${imageAxis[0].context} contexts): each image beyond ${imageAxis[0].images} adds about ${marginalMs(imageAxis)} ms to a no-op run (slope of the medians from ${imageAxis[0].images} to ${imageAxis.at(-1).images} images).`);
  }
  if (contextAxis.length > 1) {
    lines.push(`- Context size (${contextAxis[0].images} images): each extra MB of context in the workspace adds about ${marginalMsPerMB(contextAxis)} ms to a no-op run (from ${contextAxis[0].totalContextMB} MB to ${contextAxis.at(-1).totalContextMB} MB).`);
  }
  return lines;
}

/** The cases along the number of images (the context with most cases) and along the context size (same image count). */
function axesOf(b4) {
  const byContext = new Map();
  for (const c of b4.cases) byContext.set(c.context, [...(byContext.get(c.context) ?? []), c]);
  const imageAxis = [...byContext.values()].sort((a, b) => b.length - a.length)[0].sort((a, b) => a.images - b.images);
  const counts = b4.cases.map((c) => c.images);
  const shared = counts.find((n) => b4.cases.filter((c) => c.images === n).length > 1);
  const contextAxis = b4.cases.filter((c) => c.images === shared).sort((a, b) => a.totalContextMB - b.totalContextMB);
  return { imageAxis, contextAxis };
}

function marginalMsPerMB(cases) {
  const first = cases[0];
  const last = cases.at(-1);
  const mb = last.totalContextMB - first.totalContextMB;
  return mb > 0 ? Math.round(((last.noopSeconds.median - first.noopSeconds.median) * 1000) / mb) : 'n/a';
}

/** Extra no-op time per extra image, from the smallest to the largest workspace. */
function marginalMs(cases) {
  const first = cases[0];
  const last = cases.at(-1);
  if (first === last) return 'n/a';
  return Math.round(((last.noopSeconds.median - first.noopSeconds.median) * 1000) / (last.images - first.images));
}

function loadNote(results) {
  const rows = Object.entries(results.scenarios).filter(([, s]) => s.loadAverage);
  if (!rows.length) return [];
  return [
    '## Machine load during the run',
    '',
    `1-minute load average on ${results.machine.cores} cores, sampled every 10 s (other work on the machine, such as test suites of other checkouts on the same engine, widens the ranges):`,
    '',
    '| Scenario | Duration | Load average |',
    '|---|---|---|',
    ...rows.map(([id, s]) => `| ${id.toUpperCase()} | ${minutes(s.scenarioSeconds)} | ${s.loadAverage.median.toFixed(1)} (${s.loadAverage.min.toFixed(1)}–${s.loadAverage.max.toFixed(1)}) |`),
  ];
}

function listWords(items) {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : String(items[0]);
}

function describeContext({ files, bytes }) {
  return `${files.toLocaleString('en-US')} files, ${bytes >= 1e6 ? `${(bytes / 1e6).toFixed(bytes % 1e6 ? 1 : 0)} MB` : `${Math.round(bytes / 1e3)} KB`}`;
}

function formatRate(summary) {
  return `${Math.round(summary.median)} MB/s (${Math.round(summary.min)}–${Math.round(summary.max)})`;
}

function minutes(seconds) {
  return seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
}

function sectionB4Batch(b4batch) {
  const withBatchFloor = b4batch.cases.some((c) => c.batchFloorSeconds);
  const lines = [
    '## B4 growth in batch mode, with Nx’s floor',
    '',
    `Service images as in B4 (small contexts: ${describeContext({ files: b4batch.setup.contextPerImage.files + 3, bytes: b4batch.setup.contextPerImage.bytes })}), no-op runs in batch mode, each beside a run of as many \`nx:noop\` tasks in the same workspace — what Nx itself costs to plan and run that many tasks${withBatchFloor ? ' — and as many tasks of an executor in batch mode that does nothing (a process for the batch, Nx’s batch runner, a message per task): Nx’s batch floor, below which no batch executor can go' : ''}. All alternate, round by round. Commands: \`${b4batch.setup.command}\`.`,
    '',
    withBatchFloor ? '| Images | nx-buildkit no-op | Nx floor (nx:noop) | Nx batch floor | nx-buildkit ÷ floor | batch floor ÷ floor | nx-buildkit ÷ batch floor |' : '| Images | nx-buildkit no-op | Nx floor (nx:noop) | nx-buildkit ÷ floor |',
    withBatchFloor ? '|---|---|---|---|---|---|---|' : '|---|---|---|---|',
  ];
  const ratio = (r) => `${r.median.toFixed(2)}× (${r.min.toFixed(2)}–${r.max.toFixed(2)})`;
  for (const c of b4batch.cases) {
    if (withBatchFloor) lines.push(`| ${c.images} | ${formatSeconds(c.dockerSeconds)} | ${formatSeconds(c.floorSeconds)} | ${formatSeconds(c.batchFloorSeconds)} | ${ratio(c.overFloor)} | ${ratio(c.batchFloorOverFloor)} | ${ratio(c.overBatchFloor)} |`);
    else lines.push(`| ${c.images} | ${formatSeconds(c.dockerSeconds)} | ${formatSeconds(c.floorSeconds)} | ${ratio(c.overFloor)} |`);
  }
  const goalCases = b4batch.cases.filter((c) => c.images >= 50);
  lines.push(
    '',
    `- Each image beyond ${b4batch.cases[0].images} adds about ${b4batch.perExtraImageMs.nxBuildkit} ms to a no-op, against ${b4batch.perExtraImageMs.floor} ms per extra \`nx:noop\` task${b4batch.perExtraImageMs.batchFloor !== undefined ? ` and ${b4batch.perExtraImageMs.batchFloor} ms per extra task of the batch floor` : ''}.`,
    goalCases.length
      ? `- Goal (issue 31): at most ${NO_OP_OVER_NX_FLOOR_AT_MOST}× the floor at 50 and 100 images — measured ${goalCases.map((c) => `${c.overFloor.median.toFixed(2)}× at ${c.images}`).join(', ')}${goalCases.every((c) => c.overFloor.median <= NO_OP_OVER_NX_FLOOR_AT_MOST) ? ' (met)' : ' (missed)'}.${withBatchFloor ? ` Nx’s batch mode alone, with an executor that does nothing, is at ${goalCases.map((c) => `${c.batchFloorOverFloor.median.toFixed(2)}×`).join(' and ')}: ${goalCases.some((c) => c.batchFloorOverFloor.median > NO_OP_OVER_NX_FLOOR_AT_MOST) ? 'the goal lies below Nx’s batch floor, and' : ''} nx-buildkit’s own share is the ratio to the batch floor.` : ''}`
      : '- (No 50- or 100-image case in this run.)',
  );
  if (b4batch.profile) lines.push('', ...profileLines(b4batch.profile));
  return lines;
}

/** Where the time of a no-op goes: CPU per process of the nx run, and the batch process by part. */
function profileLines(profile) {
  const commands = [['noop', '`nx:noop`'], ['batchnoop', 'batch floor'], ['docker-build', 'nx-buildkit']];
  const kinds = [...new Set(commands.flatMap(([target]) => Object.keys(profile.perProcessCpuSeconds[target] ?? {})))].filter((kind) => kind !== 'wall').sort();
  const lines = [
    `### Where the time of a ${profile.images}-image no-op goes`,
    '',
    `CPU time (user + system) of each process of the nx run, median of ${profile.runs} runs of each command (scripts/bench/probes/process-cpu-hook.cjs); the machine has 2 cores, and Nx's plugin workers run side by side while the project graph is computed, so CPU adds up to more than the wall time.`,
    '',
    `| Process | ${commands.map(([, label]) => label).join(' | ')} |`,
    `|---|${commands.map(() => '---').join('|')}|`,
    `| wall time of the command | ${commands.map(([target]) => `${(profile.perProcessCpuSeconds[target]?.wall ?? 0).toFixed(2)} s`).join(' | ')} |`,
  ];
  for (const kind of kinds) lines.push(`| ${kind} | ${commands.map(([target]) => (profile.perProcessCpuSeconds[target]?.[kind] !== undefined ? `${profile.perProcessCpuSeconds[target][kind].toFixed(2)} s` : '—')).join(' | ')} |`);
  const ours = profile.batchProcess['docker-build'];
  const floor = profile.batchProcess.batchnoop;
  if (ours && floor) {
    lines.push(
      '',
      'The batch process, from one V8 profile of each (scripts/bench/probes/cpu-profile-hook.cjs, 1 ms sampling, which slows module loading a little); nx-buildkit’s running time by pipeline phase (lib/image/phases):',
      '',
      ...batchProcessTable(ours, floor, 'waiting (idle: the engine, the file system)'),
    );
  }
  return lines;
}

/** A batch process's sampled time by part, nx-buildkit's beside the batch floor's: Nx, nx-buildkit by phase, GC, idle. */
function batchProcessTable(ours, floor, idleLabel) {
  const parts = [
    ['Nx’s batch runner: loading its modules', (p) => p.buckets['nx and node: loading modules']],
    ['Nx and Node: running', (p) => p.buckets['nx and node: running']],
    ['nx-buildkit: loading its modules', (p) => p.buckets['nx-buildkit: loading modules']],
    ...[...new Set(Object.keys(ours.phases))].sort((a, b) => ours.phases[b] - ours.phases[a]).map((phase) => [`nx-buildkit: ${phase}`, (p) => p.phases[phase]]),
    ['garbage collection', (p) => p.buckets.gc],
    ['native code, compiling, I/O callbacks', (p) => p.buckets['program (native, compile, I/O callbacks)']],
    [idleLabel, (p) => p.buckets.idle],
  ];
  return [
    '| Part | nx-buildkit | batch floor |',
    '|---|---|---|',
    ...parts.map(([label, of]) => `| ${label} | ${Math.round(of(ours) ?? 0)} ms | ${Math.round(of(floor) ?? 0)} ms |`),
    `| **sampled in all** | ${Math.round(ours.sampledMs)} ms | ${Math.round(floor.sampledMs)} ms |`,
  ];
}

function sectionB4NxMajors(b4nx) {
  const majors = b4nx.setup.majors.map(({ major, nx }) => `Nx ${major} (nx ${nx})`).join(' and ');
  const lines = [
    '## B4 on the oldest and newest supported Nx',
    '',
    `The batch-mode no-op of B4 (service images, ${describeContext({ files: b4nx.setup.contextPerImage.files + 3, bytes: b4nx.setup.contextPerImage.bytes })} of context each) on ${majors}: the same projects in a workspace on each, each no-op beside as many \`nx:noop\` tasks on the same Nx — that major's own floor. All series alternate, round by round. Commands: \`${b4nx.setup.command}\`.`,
    '',
    '| Nx | Images | nx-buildkit no-op | Nx floor (nx:noop) | nx-buildkit ÷ floor |',
    '|---|---|---|---|---|',
  ];
  for (const c of b4nx.cases) {
    lines.push(`| ${c.major} | ${c.images} | ${formatSeconds(c.dockerSeconds)} | ${formatSeconds(c.floorSeconds)} | ${c.overFloor.median.toFixed(2)}× (${c.overFloor.min.toFixed(2)}–${c.overFloor.max.toFixed(2)}) |`);
  }
  return lines;
}

function sectionFreshRunners({ b5, b6 }) {
  return [
    '## B5 and B6 fresh runners',
    '',
    'Each run gets engines that never built anything: a dockerd in a network namespace of its own (empty build cache, no images), linked to one registry on 127.0.0.1 that holds the base images and what earlier runs pushed — what an ephemeral CI runner has. The checkout is the one the images were built from (records removed, as in a fresh clone).',
    '',
    `**B5, ${b5.setup.images} unchanged images** (service images as in B1, FROM bases in the registry, \`registry\` and \`push\` set). Command: \`${b5.setup.command}\`. nx-buildkit finds every hash tag in the registry and skips; @nx/docker's \`docker build\` has no such record and rebuilds each image on the empty engine (pulling its base).`,
    '',
    '| | Wall time | Ratio (@nx/docker ÷ this) |',
    '|---|---|---|',
    `| nx-buildkit, skipped through the registry | ${formatSeconds(b5.wallSeconds.nxBuildkit)} | ${formatRatio(b5.ratioNxDockerOverNxBuildkit)} |`,
    `| @nx/docker \`docker:build\`, rebuilt | ${formatSeconds(b5.wallSeconds.nxDocker)} | 1 |`,
    '',
    ...(b5.wallSeconds.nxBuildkitWarm
      ? [
          `The same no-op on a warm machine, in the same rounds (after each fresh run, on the engine that built the images, with the records and file digests that run wrote; same options, so each image is still checked in the registry): ${formatSeconds(b5.wallSeconds.nxBuildkitWarm)}. Fresh ÷ warm: ${b5.ratioFreshOverWarm.median.toFixed(2)}× (${b5.ratioFreshOverWarm.min.toFixed(2)}–${b5.ratioFreshOverWarm.max.toFixed(2)}); goal (issue 31) at most ${FRESH_OVER_WARM_AT_MOST}×.`,
          '',
        ]
      : []),
    `**B6, one changed image among ${b6.setup.images}** on engines with the containerd image store (where the \`docker\` driver can write a layer cache). Each Dockerfile: FROM a registry base, an install-like RUN (${b6.setup.install}: CPU-bound, as the runners reach no package index), COPY src/. One source file of one image changes per run; the other images are skipped through the registry. With the registry layer cache nx-buildkit reads and writes by default (\`<registry>/<image>:buildcache\`, mode=max), against the same run with \`cacheFrom\` and \`cacheTo\` set to \`[]\`.`,
    '',
    '| | Wall time | Ratio (no cache ÷ this) |',
    '|---|---|---|',
    `| registry layer cache (steps cached in the changed image: ${b6.stepsCachedWithRegistryCache.median}) | ${formatSeconds(b6.wallSeconds.withRegistryCache)} | ${formatRatio(b6.ratioWithoutOverWith)} |`,
    `| no layer cache | ${formatSeconds(b6.wallSeconds.withoutCache)} | 1 |`,
  ];
}

function sectionMultiPlatform(b7) {
  return [
    '## B7 multi-platform no-op',
    '',
    `${b7.setup.images} unchanged service images (${describeContext(b7.setup.contextPerImage)} of context each, FROM a two-platform base index in the registry) built for ${b7.setup.platforms.join(' and ')} and pushed as one index each, against the same images built for ${b7.setup.platforms[0]} alone. Both run on one warm engine with the containerd image store, which keeps what it pushed: each image is found there and checked in the registry; the two series alternate, round by round. Command: \`${b7.setup.command}\`.`,
    '',
    '| | Wall time | Ratio (this ÷ one platform) |',
    '|---|---|---|',
    `| ${b7.setup.platforms.join(' + ')} | ${formatSeconds(b7.wallSeconds.twoPlatforms)} | ${formatRatio(b7.ratioTwoOverOne)} |`,
    `| ${b7.setup.platforms[0]} | ${formatSeconds(b7.wallSeconds.onePlatform)} | 1 |`,
  ];
}

function sectionNxGenerated(b8) {
  const install = b8.install;
  const lines = [
    '## B8 the workspace Nx generates',
    '',
    `The workspace of \`${b8.setup.fixture}\` (create-nx-workspace 23.2.1 --preset=apps; @nx/node, @nx/nest, @nx/react, @nx/next and @nx/angular apps; path-alias libraries), installed from its lockfile with the packed plugin. Command: \`${b8.setup.command}\`.`,
    '',
    '### The frontend install, pruned and whole',
    '',
    'The web image as `nx g nx-buildkit:frontend web` writes it installs from the manifest and lockfile Nx prunes to the app (the `deps` build context); beside it, the same Dockerfile installing the whole root lockfile. ' +
      'Both have an `ARG NXB_BENCH_ROUND` before the install, changed every round, so the install runs each time with the npm cache mount warm; the two ran interleaved. The time is BuildKit\'s for the install step.',
    '',
    '| Install | Packages | Install step | Ratio (whole ÷ pruned) |',
    '|---|---|---|---|',
    `| pruned to web (\`${install.targets.pruned}\`) | ${install.packages.pruned} | ${formatSeconds(install.seconds.pruned)} | ${formatRatio(install.ratioWholeOverPruned)} |`,
    `| whole root lockfile (\`${install.targets.whole}\`) | ${install.packages.whole} | ${formatSeconds(install.seconds.whole)} | |`,
    '',
    '### A code-only change per app type',
    '',
    'One statement appended to one source file (a comment would vanish from the output of the apps whose image packages their Nx build, and their images would rightly be skipped), then the image target (the app\'s Nx build first where the image packages its output). For the Node servers, beside the generated Dockerfile, the one `nx g @nx/node:setup-docker` writes (Nx 23.2.1; FROM the stand-in node image, and `COPY dist/apps/<app> .` from the workspace root where the app\'s build writes); the two ran interleaved.',
    '',
    '| App (edited file) | Dockerfile | Rebuild, wall | Executor time | Steps cached | Ratio (Nx\'s ÷ generated), wall | Ratio, executor time |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const change of b8.changes) {
    lines.push(`| ${change.label} (\`${change.editedFile}\`) | generated | ${formatSeconds(change.generated.wallSeconds)} | ${formatSeconds(change.generated.executorSeconds)} | ${change.generated.stepsCached} | ${change.nx ? formatRatio(change.ratioNxOverGenerated) : ''} | ${change.nx ? formatRatio(change.executorRatioNxOverGenerated) : ''} |`);
    if (change.nx) lines.push(`| | Nx's setup-docker | ${formatSeconds(change.nx.wallSeconds)} | ${formatSeconds(change.nx.executorSeconds)} | ${change.nx.stepsCached} | | |`);
  }
  const nxDockerfile = b8.changes.find((change) => change.nx)?.nx.dockerfile;
  if (nxDockerfile) lines.push('', '<details><summary>Nx\'s setup-docker Dockerfile (api)</summary>', '', '```dockerfile', nxDockerfile.trimEnd(), '```', '', '</details>');
  return lines;
}
