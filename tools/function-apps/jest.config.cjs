module.exports = { displayName: 'function-apps', preset: '../../jest.preset.cjs' };
