module.exports = {
  displayName: 'mapper',
  preset: '../../jest.preset.js',
};
