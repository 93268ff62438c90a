// placeholder for test/mock-testdb.js in the repository
