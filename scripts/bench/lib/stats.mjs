// Medians and ranges. Every figure in the results is the median of its runs with the min–max beside it.

export function median(values) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** { runs, median, min, max } of a list of numbers (kept in run order). */
export function summarize(values) {
  return { runs: values.map(round3), median: round3(median(values)), min: round3(Math.min(...values)), max: round3(Math.max(...values)) };
}

/**
 * A ratio of two interleaved series (slow / fast): the ratio of the medians, and the range of the per-round ratios
 * (round i of one against round i of the other, measured next to each other).
 */
export function ratio(slow, fast) {
  const pairs = slow.map((value, i) => value / fast[i]).filter(Number.isFinite);
  return { median: round3(median(slow) / median(fast)), min: round3(Math.min(...pairs)), max: round3(Math.max(...pairs)), perRound: pairs.map(round3) };
}

export function round3(value) {
  return Math.round(value * 1000) / 1000;
}

/** "12.3 s (11.9–13.0)" for seconds; ms below 10 s can be asked for with unit 'ms'. */
export function formatSeconds(summary, digits = 1) {
  if (!summary) return 'n/a';
  return `${summary.median.toFixed(digits)} s (${summary.min.toFixed(digits)}–${summary.max.toFixed(digits)})`;
}

export function formatMs(summary, digits = 0) {
  if (!summary) return 'n/a';
  return `${summary.median.toFixed(digits)} ms (${summary.min.toFixed(digits)}–${summary.max.toFixed(digits)})`;
}

export function formatRatio(r) {
  if (!r) return 'n/a';
  return `${r.median.toFixed(2)}× (${r.min.toFixed(2)}–${r.max.toFixed(2)})`;
}
