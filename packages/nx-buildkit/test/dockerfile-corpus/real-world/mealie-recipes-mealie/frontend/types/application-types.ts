// placeholder for frontend/types/application-types.ts in the repository
