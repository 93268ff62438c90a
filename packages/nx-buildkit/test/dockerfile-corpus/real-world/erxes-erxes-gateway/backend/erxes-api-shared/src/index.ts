// placeholder for backend/erxes-api-shared/src/index.ts in the repository
