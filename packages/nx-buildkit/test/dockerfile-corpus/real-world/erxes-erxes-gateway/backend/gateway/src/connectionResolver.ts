// placeholder for backend/gateway/src/connectionResolver.ts in the repository
