module.exports = {
  displayName: 'tools',
  preset: '../jest.preset.js',
  // Scratch clones, npm pack and installs, nx release: each test spawns real tools.
  testTimeout: 300000,
};
