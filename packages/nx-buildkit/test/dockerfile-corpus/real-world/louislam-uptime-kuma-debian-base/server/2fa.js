// placeholder for server/2fa.js in the repository
