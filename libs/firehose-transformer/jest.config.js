module.exports = {
  displayName: 'firehose-transformer',
  preset: '../../jest.preset.js',
};
