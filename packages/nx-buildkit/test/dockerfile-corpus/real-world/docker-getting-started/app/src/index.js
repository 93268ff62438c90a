// placeholder for app/src/index.js in the repository
