module.exports = { displayName: 'functions', preset: '../../jest.preset.cjs' };
