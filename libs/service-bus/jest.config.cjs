module.exports = { displayName: 'service-bus', preset: '../../jest.preset.cjs' };
