// Writes the version the image was built for into dist/, as a bundler inlines VITE_* variables.
const fs = require('node:fs');
fs.mkdirSync('dist', { recursive: true });
fs.writeFileSync('dist/version.txt', `${process.env.VITE_APP_VERSION ?? 'dev'}\n`);
