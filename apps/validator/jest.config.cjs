module.exports = { displayName: 'validator', preset: '../../jest.preset.cjs' };
