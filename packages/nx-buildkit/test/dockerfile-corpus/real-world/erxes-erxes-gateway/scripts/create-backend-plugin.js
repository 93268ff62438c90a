// placeholder for scripts/create-backend-plugin.js in the repository
