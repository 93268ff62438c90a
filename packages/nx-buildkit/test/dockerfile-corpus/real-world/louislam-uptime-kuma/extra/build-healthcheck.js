// placeholder for extra/build-healthcheck.js in the repository
