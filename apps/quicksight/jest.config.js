module.exports = {
  displayName: 'quicksight',
  preset: '../../jest.preset.js',
};
