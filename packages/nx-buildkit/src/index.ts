// First: against an unsupported Nx, stop with one line before anything that needs Nx 24 loads.
import './lib/nx/require-supported-nx';
export { listContextFiles } from './lib/context';
export type { ListContextFilesOptions } from './lib/context';
export { createNodes, createNodesV2 } from './plugins/plugin';
export type { NxBuildkitPluginOptions } from './plugins/plugin';
