module.exports = {
  displayName: 'corpus',
  preset: '../jest.preset.js',
};
