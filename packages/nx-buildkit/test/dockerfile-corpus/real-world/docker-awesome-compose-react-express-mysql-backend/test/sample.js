// placeholder for react-express-mysql/backend/test/sample.js in the repository
