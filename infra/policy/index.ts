import { PolicyPack } from '@pulumi/policy';
import { isolationPolicies, securityPolicies } from './securityPolicies';

/** Run with `pulumi preview --policy-pack policy` (or `up`) from infra/. */
new PolicyPack('commandflow-security', { policies: [...securityPolicies, ...isolationPolicies], enforcementLevel: 'mandatory' });
