module.exports = {
  displayName: 'analytics',
  preset: '../../jest.preset.js',
  // The stack deploys a prebuilt handler bundle; build it once for every test file.
  globalSetup: '<rootDir>/build.mjs',
};
