// Splits a V8 CPU profile (.cpuprofile, from probes/cpu-profile-hook.cjs) into where its samples went: idle, GC,
// module loading and running, each by whether nx-buildkit's code is on the stack, and nx-buildkit's running time by
// phase (the first phase whose function is on a sample's stack). Used by the B4 profile split and by
// probes/cpu-profile-summary.mjs.
const PLUGIN = /\/nx-buildkit\//;
// `__require` and `__init` run a module's body inside an esbuild bundle (the executors are bundled: bundle-executors.js).
const LOADING = new Set(['Module._load', 'Module.require', 'Module._compile', 'compileFunction', 'wrapSafe', 'require', '__require', '__init']);

/**
 * The phases of a no-op batch, by the functions that run them (after an await a sample's stack starts at the resumed
 * function, so each phase names the functions that resume in it, not only its entry point).
 */
export const NO_OP_PHASES = [
  ['options', ['createTask', 'normalizeOptions', 'acceptOptions']],
  // Before the connection: the Dockerfiles are parsed and the base images asked for while the ping is on its way
  // (connect's `meanwhile`), and that work is hashing's, not the connection's.
  ['inputs hash (walk, file digests, Dockerfiles, bases)', ['planAll', 'prefetchBaseImages', 'planBuild', 'hashImageInputs', 'computeBuildInputs', 'walkContext', 'digestEntries', 'baseImageRefs']],
  ['engine connection', ['connect', 'ping', 'oneEngine']],
  ['skip check and records', ['skipUnchanged', 'skipIfUnchanged', 'tagExistingImage', 'recordOutcome', 'writeRecord']],
  ['report', ['report', 'writeReports', 'writeRunReport', 'renderRunReport']],
];

/**
 * The phases of a rebuild: the no-op's, with the build itself (the buildx process, the record written after it) before
 * the skip check's record writing, so that a record written by the build counts as the build's.
 */
export const REBUILD_PHASES = [
  ...NO_OP_PHASES.slice(0, 3),
  ['build (starts buildx, reads its progress, writes the record)', ['buildRest', 'runBuild', 'runBuildx', 'settleBuilt', 'writeInputsManifest']],
  ...NO_OP_PHASES.slice(3),
];

/** { totalMs, buckets: {name: ms}, phases: {name: ms}, pluginInclusive: Map<"fn file:line", ms>, named: Map<fn, ms> } */
export function splitProfile(profile, { phases = [], named = [] } = {}) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stackCache = new Map();
  const stackOf = (id) => {
    if (!stackCache.has(id)) {
      const frames = [];
      for (let at = id; at !== undefined; at = parent.get(at)) frames.push(nodes.get(at).callFrame);
      stackCache.set(id, frames);
    }
    return stackCache.get(id);
  };
  const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);
  const buckets = new Map();
  const phaseMs = new Map();
  const pluginInclusive = new Map();
  const namedInclusive = new Map(named.map((name) => [name, 0]));
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    const frames = stackOf(id);
    const top = frames[0].functionName;
    totalMs += ms;
    if (top === '(idle)') return add(buckets, 'idle', ms);
    if (top === '(garbage collector)') return add(buckets, 'gc', ms);
    if (top === '(program)') return add(buckets, 'program (native, compile, I/O callbacks)', ms);
    const plugin = frames.some((frame) => PLUGIN.test(frame.url));
    const loading = frames.some((frame) => LOADING.has(frame.functionName));
    add(buckets, `${plugin ? 'nx-buildkit' : 'nx and node'}: ${loading ? 'loading modules' : 'running'}`, ms);
    if (plugin && !loading) {
      const names = new Set(frames.filter((frame) => PLUGIN.test(frame.url)).map((frame) => frame.functionName));
      add(phaseMs, phases.find(([, fns]) => fns.some((fn) => names.has(fn)))?.[0] ?? 'other', ms);
    }
    const seen = new Set();
    for (const frame of frames) {
      if (!PLUGIN.test(frame.url)) continue;
      const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/nx-buildkit/')[1]}:${frame.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      add(pluginInclusive, key, ms);
    }
    for (const name of named) if (frames.some((frame) => frame.functionName === name)) add(namedInclusive, name, ms);
  });
  return { totalMs, buckets: Object.fromEntries(buckets), phases: Object.fromEntries(phaseMs), pluginInclusive, named: namedInclusive };
}
