import { ContextFiles } from './build-context';

/**
 * Whether the context's project runs Yarn 2 or later: a `.yarnrc.yml`, or `packageManager: "yarn@4.x"` in the root
 * package.json (corepack then runs that release even without a .yarnrc.yml). Those releases do not cache in Yarn 1's
 * global folder, so a mount there would stay empty.
 */
export function usesYarnBerry(files: ContextFiles): boolean {
  if (files.exists('.yarnrc.yml')) return true;
  const manifest = files.readText('package.json');
  if (manifest === undefined) return false;
  try {
    const packageManager = (JSON.parse(manifest) as { packageManager?: unknown }).packageManager;
    const major = typeof packageManager === 'string' ? /^yarn@(\d+)\./.exec(packageManager)?.[1] : undefined;
    return major !== undefined && Number(major) >= 2;
  } catch {
    return false;
  }
}
