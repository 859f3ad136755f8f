module.exports = {
  displayName: 'channel-detectors',
  preset: '../../jest.preset.js',
};
