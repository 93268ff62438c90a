// The one Dockerfile model and its queries (see model.ts).
export * from './base-images';
export * from './context-reads';
export * from './model';
export * from './stage-state';
export * from './variables';
