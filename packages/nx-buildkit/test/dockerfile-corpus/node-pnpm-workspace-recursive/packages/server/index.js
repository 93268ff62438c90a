console.log(require('@corpus/core').greet());
