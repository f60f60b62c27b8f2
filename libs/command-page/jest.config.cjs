module.exports = { displayName: 'command-page', preset: '../../jest.preset.cjs' };
