export { listContextFiles } from './lib/context';
export type { ListContextFilesOptions } from './lib/context';
export { createNodes, createNodesV2 } from './plugins/plugin';
export type { NxBuildkitPluginOptions } from './plugins/plugin';
