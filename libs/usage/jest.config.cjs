module.exports = { displayName: 'usage', preset: '../../jest.preset.cjs' };
