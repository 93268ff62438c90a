// placeholder for frontend/plugins/dark-mode.client.ts in the repository
