// The speed goals the bench checks (issues 31 and 32), each read from a run's results: the measured ratio, the goal,
// and whether the run met it. results.md and the README's goals table are drawn from this one list, so a run that
// misses a goal says which.

/** Targets that the sections of results.md also state (issue 31). */
export const NO_OP_OVER_NX_FLOOR_AT_MOST = 1.15;
export const FRESH_OVER_WARM_AT_MOST = 1.25;
export const HASH_SPEED_OVER_READ_AT_LEAST = 0.85;

/**
 * B2's floor: the best ratio an Nx executor in batch mode (as nx-buildkit:build is) can reach with the generated
 * Dockerfile, naive ÷ (one task of Nx's batch floor + a bare build); undefined for runs from before that series.
 */
const B2_FLOOR_IS = 'the naive rebuild ÷ (one task of a batch executor that does nothing + a bare `docker buildx build` of the generated Dockerfile)';
function b2Floor(scenarios, label) {
  return scenarios.b2?.apps.find((a) => a.label === label)?.ratioNaiveOverExecutorFloor?.median;
}

/** at most / at least a ratio; `value` reads the median from results.scenarios, undefined when not measured. */
export const GOALS = [
  {
    what: 'B4 no-op, 50 images, batch mode, ÷ Nx’s floor (`nx:noop`)',
    atMost: NO_OP_OVER_NX_FLOOR_AT_MOST,
    value: (s) => s.b4batch?.cases.find((c) => c.images === 50)?.overFloor.median,
    floor: (s) => s.b4batch?.cases.find((c) => c.images === 50)?.batchFloorOverFloor?.median,
    floorIs: 'Nx’s batch mode alone (a batch executor that does nothing, ÷ `nx:noop`)',
  },
  {
    what: 'B4 no-op, 100 images, batch mode, ÷ Nx’s floor (`nx:noop`)',
    atMost: NO_OP_OVER_NX_FLOOR_AT_MOST,
    value: (s) => s.b4batch?.cases.find((c) => c.images === 100)?.overFloor.median,
    floor: (s) => s.b4batch?.cases.find((c) => c.images === 100)?.batchFloorOverFloor?.median,
    floorIs: 'Nx’s batch mode alone (a batch executor that does nothing, ÷ `nx:noop`)',
  },
  { what: 'B5 fresh runner ÷ B1 warm machine, same 20 images, batch mode', atMost: FRESH_OVER_WARM_AT_MOST, value: (s) => s.b5?.b5?.ratioFreshOverWarm?.median },
  { what: 'Cold hashing speed ÷ reading the files once (10k files, 200 MB)', atLeast: HASH_SPEED_OVER_READ_AT_LEAST, value: (s) => inverse(s.b1?.hashing?.hashOverRead?.median) },
  { what: 'Cold hashing speed ÷ reading the files once (50k small files)', atLeast: HASH_SPEED_OVER_READ_AT_LEAST, value: (s) => inverse(s.b1?.smallFileHashing?.hashOverRead?.median) },
  {
    what: 'B2 Python backend, code-only change: naive ÷ generated, wall',
    atLeast: 6,
    value: (s) => s.b2?.apps.find((a) => a.label === 'Python backend')?.ratioNaiveOverGenerated.median,
    floor: (s) => b2Floor(s, 'Python backend'),
    floorIs: B2_FLOOR_IS,
  },
  {
    what: 'B2 Vite + React frontend, code-only change: naive ÷ generated, wall',
    atLeast: 3,
    value: (s) => s.b2?.apps.find((a) => a.label === 'Vite + React frontend')?.ratioNaiveOverGenerated.median,
    floor: (s) => b2Floor(s, 'Vite + React frontend'),
    floorIs: B2_FLOOR_IS,
  },
  {
    what: 'B3 8 cold images, batch ÷ --parallel=1 (2 cores)',
    atLeast: 1.7,
    value: (s) => s.b3?.speedups.find((x) => x.of === 'batch')?.ratio.median,
    floor: (s) => s.b3?.bare?.ratioSerialOverBare?.median,
    floorIs: '--parallel=1 ÷ the same Dockerfiles built by bare `docker buildx build`s side by side (no Nx)',
  },
  { what: 'B6 one changed image of 20 on a fresh runner: no cache ÷ registry layer cache', atLeast: 3, value: (s) => s.b5?.b6?.ratioWithoutOverWith?.median },
  { what: 'B1 no-op, 20 images: @nx/docker’s cached build ÷ nx-buildkit batch mode (context)', atLeast: 2.8, value: (s) => s.b1?.ratioNxDockerOverNxBuildkitBatch?.median },
  { what: 'B7 no-op, two platforms ÷ one platform', atMost: 1.1, value: (s) => s.b7?.ratioTwoOverOne?.median },
];

function inverse(x) {
  return x === undefined ? undefined : 1 / x;
}

/**
 * Each goal with what this run measured: { what, goal, measured, met (true/false/undefined when not measured), floor,
 * belowFloor }. A goal's floor is the best ratio anything could reach there (what Nx itself costs); belowFloor: the
 * goal asks for more than that.
 */
export function checkGoals(scenarios) {
  return GOALS.map((goal) => {
    const measured = goal.value(scenarios);
    const atMost = goal.atMost !== undefined;
    const met = measured === undefined ? undefined : atMost ? measured <= goal.atMost : measured >= goal.atLeast;
    const floor = goal.floor?.(scenarios);
    const belowFloor = floor !== undefined && (atMost ? floor > goal.atMost : floor < goal.atLeast);
    return { what: goal.what, goal: atMost ? `≤ ${goal.atMost}×` : `≥ ${goal.atLeast}×`, measured, met, floor, floorIs: goal.floorIs, belowFloor };
  });
}

/** The goals as a Markdown table (results.md and the README). */
export function goalsTable(scenarios) {
  const rows = checkGoals(scenarios).map(({ what, goal, measured, met, floor, floorIs, belowFloor }) => {
    const verdict = met === undefined ? 'not measured' : met ? 'met' : belowFloor ? `missed; the goal lies beyond its floor: ${floorIs} is ${floor.toFixed(2)}×` : 'missed';
    return `| ${what} | ${measured === undefined ? '—' : `${measured.toFixed(2)}×`} | ${goal} | ${verdict} |`;
  });
  return ['| Goal | Measured | Target | |', '|---|---|---|---|', ...rows];
}

/** The goals the run missed, by name (the bench's last line says them). */
export function missedGoals(scenarios) {
  return checkGoals(scenarios).filter((goal) => goal.met === false).map((goal) => goal.what);
}

const START = '<!-- bench-goals:start (drawn by scripts/bench from bench/results.json; edit scripts/bench/lib/goals.mjs) -->';
const END = '<!-- bench-goals:end -->';

/** The README with its goals table (between the two markers) redrawn; unchanged when it has no markers. */
export function withGoalsTable(readme, scenarios) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) return readme;
  return `${readme.slice(0, start + START.length)}\n${goalsTable(scenarios).join('\n')}\n${readme.slice(end)}`;
}
