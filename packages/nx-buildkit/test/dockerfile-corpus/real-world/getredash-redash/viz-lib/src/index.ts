// placeholder for viz-lib/src/index.ts in the repository
