// placeholder for client/prettier.config.js in the repository
