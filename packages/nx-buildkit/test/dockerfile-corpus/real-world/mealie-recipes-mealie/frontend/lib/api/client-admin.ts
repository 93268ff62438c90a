// placeholder for frontend/lib/api/client-admin.ts in the repository
