export { listContextFiles } from './lib/context';
export type { ListContextFilesOptions } from './lib/context';
