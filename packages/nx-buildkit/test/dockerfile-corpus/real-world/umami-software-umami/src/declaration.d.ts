// placeholder for src/declaration.d.ts in the repository
