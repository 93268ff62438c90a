// placeholder for scripts/build-locales-coverage.js in the repository
