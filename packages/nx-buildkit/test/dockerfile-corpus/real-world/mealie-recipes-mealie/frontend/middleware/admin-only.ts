// placeholder for frontend/middleware/admin-only.ts in the repository
