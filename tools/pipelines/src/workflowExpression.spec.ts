import { conditionHolds, evaluateExpression, evaluateTemplate } from './workflowExpression';

const context = {
  github: { event_name: 'push', ref: 'refs/heads/main', workflow: 'intake' },
  needs: { build: { outputs: { affected: 'true' } } },
  vars: { AZURE_CLIENT_ID: 'deploy' },
};

describe('workflow expressions', () => {
  it('compares strings case-insensitively, as GitHub does', () => {
    expect(evaluateExpression("github.ref == 'refs/heads/MAIN'", context)).toBe(true);
    expect(evaluateExpression("github.event_name != 'push'", context)).toBe(false);
  });

  it('reads nested context paths, with hyphens, and gives null for what is missing', () => {
    expect(evaluateExpression('needs.build.outputs.affected', context)).toBe('true');
    expect(evaluateExpression('vars.AZURE_PREVIEW_CLIENT_ID', context)).toBeNull();
    expect(evaluateExpression('steps.set-shas.outputs.base', context)).toBeNull();
  });

  it('returns an operand from && and ||, which makes the a && b || c idiom work', () => {
    expect(evaluateExpression("github.event_name == 'pull_request' && 'preview' || 'up'", context)).toBe('up');
    expect(evaluateExpression("github.event_name == 'push' && vars.AZURE_PREVIEW_CLIENT_ID || vars.AZURE_CLIENT_ID", context)).toBe('deploy');
  });

  it('binds ! tighter than ==, and == tighter than &&', () => {
    expect(evaluateExpression("!github.ref == false", context)).toBe(true);
    expect(evaluateExpression("github.event_name == 'push' && (github.ref == 'refs/heads/dev' || needs.build.outputs.affected == 'true')", context)).toBe(true);
  });

  it('evaluates an if: with or without ${{ }}, and an absent if: runs', () => {
    expect(conditionHolds("${{ github.event_name == 'push' }}", context)).toBe(true);
    expect(conditionHolds("github.event_name == 'pull_request'", context)).toBe(false);
    expect(conditionHolds(undefined, context)).toBe(true);
  });

  it('fills in templates', () => {
    expect(evaluateTemplate('${{ github.workflow }}-${{ github.ref }}', context)).toBe('intake-refs/heads/main');
  });

  it('refuses what it does not understand rather than guess', () => {
    expect(() => evaluateExpression('always()', context)).toThrow(/not supported/);
    expect(() => evaluateExpression('github.run_number > 3', context)).toThrow(/Unsupported expression syntax/);
  });
});
