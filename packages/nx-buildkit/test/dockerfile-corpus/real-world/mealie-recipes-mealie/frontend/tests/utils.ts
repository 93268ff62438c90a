// placeholder for frontend/tests/utils.ts in the repository
