export default {
  displayName: 'nx-buildkit-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  globalSetup: '<rootDir>/src/support/global-setup.ts',
  // Real builds on a 2-core machine: minutes, not seconds.
  testTimeout: 10 * 60 * 1000,
  maxWorkers: 1,
  verbose: true,
};
