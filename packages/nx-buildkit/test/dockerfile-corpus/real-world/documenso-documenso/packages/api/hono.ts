// placeholder for packages/api/hono.ts in the repository
