// placeholder for apps/api/eslint.config.cjs in the repository
