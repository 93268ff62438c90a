// One context layer: which ignore file applies, which context a Dockerfile needs, what the context sends (the walker),
// which of it the build reads, and how that is written as Nx inputs.
export * from './choose-context';
export * from './digest-cache';
export * from './ignore-file';
export * from './missing-sources';
export * from './name-bytes';
export * from './nx-inputs';
export * from './paths';
export * from './read-set';
export * from './walk';
export * from './target-outputs';
