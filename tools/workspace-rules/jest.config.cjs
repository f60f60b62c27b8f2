module.exports = { displayName: 'workspace-rules', preset: '../../jest.preset.cjs' };
