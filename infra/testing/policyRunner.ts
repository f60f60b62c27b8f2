import type {
  PolicyResource,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from '@pulumi/policy';

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;
const isStackPolicy = (policy: AnyPolicy): policy is StackValidationPolicy => 'validateStack' in policy;

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
export async function violationsOf(policies: readonly AnyPolicy[], target: PolicyTarget): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const policy of policies) {
    if (isStackPolicy(policy)) continue;
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

/** Runs every `validateStack` of `policies` on `targets` as one stack, the way the policy engine calls them. */
export async function stackViolationsOf(policies: readonly AnyPolicy[], targets: readonly PolicyTarget[]): Promise<Violation[]> {
  const violations: Violation[] = [];
  const resources = targets.map(policyResource);
  for (const policy of policies.filter(isStackPolicy)) {
    const args = {
      resources,
      stackTags: new Map(),
      getConfig: <T extends object>() => ({}) as T,
      notApplicable: (reason?: string): never => {
        throw new NotApplicable(reason);
      },
    };
    try {
      await policy.validateStack(args, (message, urn) => violations.push({ policy: policy.name, resource: urn ?? 'stack', message }));
    } catch (error) {
      if (!(error instanceof NotApplicable)) throw error;
    }
  }
  return violations;
}

function policyResource({ type, name, inputs }: PolicyTarget): PolicyResource {
  return { type, name, props: inputs, urn: urnOf(type, name), opts: resourceOptions, dependencies: [], propertyDependencies: {}, ...typeChecks(type, inputs) };
}

function validationArgs({ type, name, inputs }: PolicyTarget): ResourceValidationArgs {
  return {
    type,
    name,
    props: inputs,
    urn: urnOf(type, name),
    opts: resourceOptions,
    stackTags: new Map(),
    ...typeChecks(type, inputs),
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

const urnOf = (type: string, name: string) => `urn:pulumi:test::commandflow::${type}::${name}`;

const resourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

/** `isType` / `asType` of a resource of `type`: what `validateResourceOfType` and friends filter with. */
function typeChecks(type: string, inputs: Record<string, unknown>): { isType: PolicyResource['isType']; asType: never } {
  const isType = (resourceClass: unknown) => (resourceClass as { __pulumiType?: string }).__pulumiType === type;
  const asType = (resourceClass: unknown) => (isType(resourceClass) ? inputs : undefined);
  // `never`: one function serves both the resource and the stack validation signatures.
  return { isType, asType: asType as never };
}
