/**
 * Orders strings by their UTF-16 code units: stable across machines and locales, and free. `localeCompare` first
 * builds ICU's collator, ~14 ms of the first call in a process: a 100-image no-op paid it once to order its report.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
