import { stepFunction, type FunctionDefinition, type StepServices } from '@commandflow/functions';
import { queueNames } from '@commandflow/topology';

/** The validator app: one Service Bus trigger on `validate`, through the delivery policy. */
export function validatorFunctions(services: () => Promise<StepServices>): FunctionDefinition[] {
  return [stepFunction('validateCommand', queueNames.validate, services)];
}
