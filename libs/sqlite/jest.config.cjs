module.exports = { displayName: 'sqlite', preset: '../../jest.preset.cjs' };
