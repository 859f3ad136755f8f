module.exports = {
  displayName: 'canonical-model',
  preset: '../../jest.preset.js',
};
