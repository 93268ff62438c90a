// placeholder for tools/load-env.ts in the repository
