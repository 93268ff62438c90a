import { joinPathFragments, Tree } from '@nx/devkit';

/**
 * The path prefix a NestJS app serves every route under (`app.setGlobalPrefix('api')` in main.ts, as Nx's
 * @nx/nest:application writes it), as `/api`; undefined for an app without one. The health check must call a path
 * that exists: `/` answers 404 there.
 */
export function nestGlobalPrefix(tree: Tree, projectRoot: string, sourceRoot?: string): string | undefined {
  const main = [sourceRoot, joinPathFragments(projectRoot, 'src')]
    .filter((dir): dir is string => dir !== undefined)
    .map((dir) => joinPathFragments(dir, 'main.ts'))
    .find((path) => tree.exists(path));
  return main ? globalPrefixOf(tree.read(main, 'utf-8') ?? '') : undefined;
}

export function globalPrefixOf(mainSource: string): string | undefined {
  const call = /\.setGlobalPrefix\(\s*(?:(['"`])([^'"`]*)\1|([A-Za-z_$][\w$]*))/.exec(mainSource);
  if (!call) return undefined;
  const prefix = call[2] ?? new RegExp(`\\b(?:const|let|var)\\s+${call[3]}\\s*=\\s*(['"\`])([^'"\`]*)\\1`).exec(mainSource)?.[2];
  if (prefix === undefined) return undefined;
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? undefined : `/${trimmed}`;
}
