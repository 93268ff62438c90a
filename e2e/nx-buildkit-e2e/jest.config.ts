export default {
  displayName: 'nx-buildkit-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // Fixture apps are data, not modules: two variants of one app share a package name.
  modulePathIgnorePatterns: ['<rootDir>/fixtures/'],
  globalSetup: '<rootDir>/src/support/global-setup.ts',
  // Real builds on a 2-core machine: minutes, not seconds.
  testTimeout: 10 * 60 * 1000,
  maxWorkers: 1,
  verbose: true,
};
