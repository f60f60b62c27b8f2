module.exports = { displayName: 'cosmos', preset: '../../jest.preset.cjs' };
