module.exports = { displayName: 'commands', preset: '../../jest.preset.cjs' };
