// placeholder for viz-lib/__tests__/enzyme_setup.js in the repository
