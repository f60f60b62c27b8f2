import { PolicyPack } from '@pulumi/policy';
import { securityPolicies } from './securityPolicies';

/** Run with `pulumi preview --policy-pack policy` (or `up`) from infra/. */
new PolicyPack('commandflow-security', { policies: securityPolicies, enforcementLevel: 'mandatory' });
