import { stepFunction, type FunctionDefinition, type StepServices } from '@commandflow/functions';
import { queueNames } from '@commandflow/topology';

/** The executor app: one Service Bus trigger on `execute`, through the delivery policy. */
export function executorFunctions(services: () => Promise<StepServices>): FunctionDefinition[] {
  return [stepFunction('executeCommand', queueNames.execute, services)];
}
