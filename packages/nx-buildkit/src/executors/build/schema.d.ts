// The options of nx-buildkit:build, as Nx's executor convention names them: declared once, beside the option table.
export type { BuildExecutorSchema, ProgressMode } from '../../lib/image/options/build-options';
