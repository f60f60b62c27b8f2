module.exports = { displayName: 'pipelines', preset: '../../jest.preset.cjs' };
