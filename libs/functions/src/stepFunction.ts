import { connectionNames } from '@commandflow/topology';
import { deliverStepMessage, type DeliveryPolicy, type StepQueue, type WorkflowDependencies } from '@commandflow/workflow';
import type { ServiceBusQueueFunctionDefinition } from './functionDefinition';
import { queueDeliveryOf } from './queueDelivery';
import { deliveryLogLine } from './traceContext';

/** What a step's app runs on: the workflow's ports and the delivery policy. */
export interface StepServices {
  readonly workflow: WorkflowDependencies;
  readonly delivery: DeliveryPolicy;
}

/**
 * The Service Bus trigger of a workflow step on its queue: each message goes to the step through
 * the delivery policy (retry later, give up with CommandFailed, or dead-letter a poison message).
 */
export function stepFunction(name: string, queue: StepQueue, services: () => Promise<StepServices>): ServiceBusQueueFunctionDefinition {
  return {
    kind: 'serviceBusQueue',
    name,
    options: {
      queueName: queue,
      connection: connectionNames.serviceBus,
      handler: async (message, context) => {
        const { workflow, delivery } = await services();
        const received = queueDeliveryOf(message, context);
        context.log(deliveryLogLine(await deliverStepMessage(workflow, delivery, queue, received), received.traceparent));
      },
    },
  };
}
