module.exports = { greet: () => 'hello' };
