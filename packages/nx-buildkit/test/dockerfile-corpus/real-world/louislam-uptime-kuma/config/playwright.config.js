// placeholder for config/playwright.config.js in the repository
