// placeholder for app/spec/persistence/sqlite.spec.js in the repository
