module.exports = { displayName: 'azure-telemetry', preset: '../../jest.preset.cjs' };
