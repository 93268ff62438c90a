// placeholder for scripts/build-geo.js in the repository
