module.exports = { displayName: 'local-host', preset: '../../jest.preset.cjs' };
