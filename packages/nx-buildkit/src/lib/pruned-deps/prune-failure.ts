/**
 * Nx's reason, from what it printed, when its lockfile pruning failed (undefined when it did not say so). Nx then
 * returns the whole root lockfile and only prints an error block (measured, Nx 24.0.6): its title, advice that does
 * not apply here, `Original error: <message>` and the same error again with its stack. The message alone is kept.
 */
export function describePruneFailure(nxOutput: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const text = nxOutput.replace(/\u001b\[[0-9;]*m/g, '');
  if (!/error occurred while creating pruned lockfile/i.test(text)) return undefined;
  const original = /Original error:\s*([\s\S]*?)(?:\n\s*\n|$)/.exec(text)?.[1];
  const message = (original ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ');
  return message || 'Nx gave no reason';
}
