// placeholder for scripts/copy-wellknown.cjs in the repository
