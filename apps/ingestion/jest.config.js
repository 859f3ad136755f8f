module.exports = {
  displayName: 'ingestion',
  preset: '../../jest.preset.js',
  // The stack deploys a prebuilt bundle: the test target depends on the build target, which makes it
  // (one writer, so a test never reads a bundle being rewritten).
};
