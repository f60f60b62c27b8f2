import type { ResourceValidation, ResourceValidationArgs, ResourceValidationPolicy } from '@pulumi/policy';

/** A resource as the policy engine sees it: its type token, name and (resolved) inputs. */
export interface PolicyTarget {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

export interface Violation {
  readonly policy: string;
  readonly resource: string;
  readonly message: string;
}

class NotApplicable extends Error {}

/** Runs every `validateResource` of `policies` on `target` the way the Pulumi policy engine calls them. */
export async function violationsOf(policies: readonly ResourceValidationPolicy[], target: PolicyTarget): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const policy of policies) {
    const validations: ResourceValidation[] = [policy.validateResource ?? []].flat();
    for (const validate of validations) {
      try {
        await validate(validationArgs(target), (message) =>
          violations.push({ policy: policy.name, resource: target.name, message }),
        );
      } catch (error) {
        if (!(error instanceof NotApplicable)) throw error;
      }
    }
  }
  return violations;
}

function validationArgs({ type, name, inputs }: PolicyTarget): ResourceValidationArgs {
  const isType = (resourceClass: unknown) => (resourceClass as { __pulumiType?: string }).__pulumiType === type;
  return {
    type,
    name,
    props: inputs,
    urn: `urn:pulumi:test::commandflow::${type}::${name}`,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    stackTags: new Map(),
    isType,
    asType: ((resourceClass: unknown) => (isType(resourceClass) ? inputs : undefined)) as ResourceValidationArgs['asType'],
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}
