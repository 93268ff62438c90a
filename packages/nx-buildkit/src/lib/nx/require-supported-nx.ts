/**
 * Imported first by every entry point (the plugin, the executors, the generators) for its side effect: loading
 * nx-buildkit next to an unsupported Nx stops here with one line, before any module that needs Nx 24 loads.
 */
import { requireSupportedNx } from './supported-nx';

requireSupportedNx();
