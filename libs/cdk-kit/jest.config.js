module.exports = {
  displayName: 'cdk-kit',
  preset: '../../jest.preset.js',
};
