import { connectionNames } from '@commandflow/topology';
import { measureInvocation, type UsageMeter } from '@commandflow/usage';
import { commandIdOf, deliverStepMessage, type DeliveryPolicy, type StepQueue, type WorkflowDependencies } from '@commandflow/workflow';
import type { ServiceBusQueueFunctionDefinition } from './functionDefinition';
import { startInvocationStepSpan } from './invocationStepSpan';
import { queueDeliveryOf } from './queueDelivery';
import { deliveryLogLine } from './traceContext';

/** What a step's app runs on: the workflow's ports and the delivery policy. */
export interface StepServices {
  readonly workflow: WorkflowDependencies;
  readonly delivery: DeliveryPolicy;
  /** Records each invocation's usage (the cost meter); absent when metering is off. */
  readonly meter?: UsageMeter;
}

/**
 * The Service Bus trigger of a workflow step on its queue (the step and its queue share a name):
 * each message goes to the step through the delivery policy (retry later, give up with
 * CommandFailed, or dead-letter a poison message), inside the step's span, measured by the cost meter.
 */
export function stepFunction(name: string, queue: StepQueue, services: () => Promise<StepServices>): ServiceBusQueueFunctionDefinition {
  return {
    kind: 'serviceBusQueue',
    name,
    options: {
      queueName: queue,
      connection: connectionNames.serviceBus,
      handler: async (message, context) => {
        const { workflow, delivery, meter } = await services();
        const commandId = commandIdIn(message);
        const span = startInvocationStepSpan(queue, context, commandId);
        const received = { ...queueDeliveryOf(message, context), ...(span.traceparent ? { traceparent: span.traceparent } : {}) };
        const report = await measureInvocation(meter, { step: queue, commandId, messagesReceived: 1 }, () =>
          span.record(() => deliverStepMessage(workflow, delivery, queue, received), (done) => done.outcome),
        );
        context.log(deliveryLogLine(report, received.traceparent));
      },
    },
  };
}

const commandIdIn = (message: unknown): string | undefined => {
  try {
    return commandIdOf(message);
  } catch {
    return undefined;
  }
};
