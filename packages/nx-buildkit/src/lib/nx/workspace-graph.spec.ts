import type { ProjectGraph } from '@nx/devkit';
import { addProjectConfiguration } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { buildOutputPath, graphFromTree, npmPackagesOfProject, workspaceLibrariesOfProject } from './workspace-graph';

const node = (name: string, root: string) => ({ name, type: 'lib' as const, data: { root, targets: {} } });
const edge = (source: string, target: string) => ({ source, target, type: 'static' });

describe('workspace libraries and packages of an app, from the project graph', () => {
  const graph: ProjectGraph = {
    nodes: { web: node('web', 'apps/web'), api: node('api', 'apps/api'), ui: node('ui', 'libs/ui'), shared: node('shared', 'libs/shared'), server: node('server', 'libs/server') },
    externalNodes: {
      'npm:react': { name: 'npm:react', type: 'npm', data: { packageName: 'react', version: '19.3.1' } },
      'npm:express': { name: 'npm:express', type: 'npm', data: { packageName: 'express', version: '5.3.0' } },
      'npm:clsx': { name: 'npm:clsx', type: 'npm', data: { packageName: 'clsx', version: '2.1.1' } },
    },
    dependencies: {
      web: [edge('web', 'ui'), edge('web', 'npm:react')],
      ui: [edge('ui', 'shared'), edge('ui', 'npm:clsx'), edge('ui', 'web')],
      shared: [],
      api: [edge('api', 'shared'), edge('api', 'server'), edge('api', 'npm:express')],
      server: [],
    },
  };

  it('follows every edge transitively, never back to the app, sorted by root', () => {
    expect(workspaceLibrariesOfProject(graph, 'web')).toEqual([
      { name: 'shared', root: 'libs/shared' },
      { name: 'ui', root: 'libs/ui' },
    ]);
    expect(workspaceLibrariesOfProject(graph, 'api').map((lib) => lib.name)).toEqual(['server', 'shared']);
  });

  it('lists the npm packages of the app and its libraries only', () => {
    expect(npmPackagesOfProject(graph, 'web')).toEqual(['clsx', 'react']);
    expect(npmPackagesOfProject(graph, 'api')).toEqual(['express']);
  });
});

describe('buildOutputPath', () => {
  it('takes outputPath, else the first resolvable output, else dist/<root>', () => {
    expect(buildOutputPath({ options: { outputPath: 'dist/x' } }, 'apps/api')).toBe('dist/x');
    expect(buildOutputPath({ outputs: ['{options.outputPath}', '{workspaceRoot}/dist/apps/web/'] }, 'apps/web')).toBe('dist/apps/web');
    expect(buildOutputPath({ outputs: ['{projectRoot}/dist'] }, 'apps/web')).toBe('apps/web/dist');
    expect(buildOutputPath({}, 'apps/api')).toBe('dist/apps/api');
  });
});

describe('graphFromTree (where Nx cannot build the graph)', () => {
  it('finds path-alias imports (exact and wildcard), workspace packages and the root dependencies a project imports', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('package.json', JSON.stringify({ name: '@acme/source', dependencies: { react: '19.3.1', express: '5.3.0' } }));
    tree.write('tsconfig.base.json', JSON.stringify({ compilerOptions: { paths: { '@acme/shared': ['./libs/shared/src/index.ts'], '@acme/feature/*': ['libs/feature/src/*'] } } }));
    addProjectConfiguration(tree, 'web', { root: 'apps/web' });
    addProjectConfiguration(tree, 'shared', { root: 'libs/shared' });
    addProjectConfiguration(tree, 'feature', { root: 'libs/feature' });
    addProjectConfiguration(tree, 'pkg', { root: 'libs/pkg' });
    tree.write('libs/pkg/package.json', JSON.stringify({ name: '@acme/pkg' }));
    tree.write('apps/web/package.json', JSON.stringify({ name: 'web', dependencies: { '@acme/pkg': '*' } }));
    tree.write('apps/web/src/main.tsx', "import { a } from '@acme/shared';\nimport b from '@acme/feature/b';\nimport * as React from 'react';\nconst lazy = import('../local');\n");
    tree.write('libs/shared/src/index.ts', 'export const a = 1;\n');
    const graph = graphFromTree(tree);
    expect(workspaceLibrariesOfProject(graph, 'web').map((lib) => lib.name)).toEqual(['feature', 'pkg', 'shared']);
    expect(npmPackagesOfProject(graph, 'web')).toEqual(['react']);
  });
});
