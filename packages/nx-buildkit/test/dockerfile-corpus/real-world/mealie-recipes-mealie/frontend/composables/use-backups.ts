// placeholder for frontend/composables/use-backups.ts in the repository
