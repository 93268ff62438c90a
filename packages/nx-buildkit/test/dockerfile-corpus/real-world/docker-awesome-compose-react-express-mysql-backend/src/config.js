// placeholder for react-express-mysql/backend/src/config.js in the repository
