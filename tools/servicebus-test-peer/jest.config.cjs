module.exports = { displayName: 'servicebus-test-peer', preset: '../../jest.preset.cjs' };
