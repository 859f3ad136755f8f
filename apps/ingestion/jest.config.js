module.exports = {
  displayName: 'ingestion',
  preset: '../../jest.preset.js',
  // The stack deploys a prebuilt transformer bundle; build it once for every test file.
  globalSetup: '<rootDir>/build.mjs',
};
