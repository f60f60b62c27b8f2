import { stepLogLine, type FunctionDefinition } from '@commandflow/functions';
import { startInvocationStepSpan } from '@commandflow/telemetry';
import { connectionNames, queueNames } from '@commandflow/topology';
import { commandIdOf, performCommand } from '@commandflow/workflow';
import type { ExecutorServices } from './executorServices';

/**
 * The executor app: one Service Bus trigger on `execute`. The delivery count tells the step
 * which attempt this is, so the last one records CommandFailed instead of leaving it hanging.
 */
export function executorFunctions(services: () => Promise<ExecutorServices>): FunctionDefinition[] {
  return [
    {
      kind: 'serviceBusQueue',
      name: 'performCommand',
      options: {
        queueName: queueNames.execute,
        connection: connectionNames.serviceBus,
        handler: async (message, context) => {
          const { workflow, maxDeliveryCount } = await services();
          const deliveryCount = Number(context.triggerMetadata?.['deliveryCount'] ?? 1);
          const commandId = commandIdOf(message);
          const span = startInvocationStepSpan('perform', context, commandId);
          const { traceparent } = span;
          const outcome = await span.record(() =>
            performCommand(
              workflow,
              commandId,
              { attempt: Number.isInteger(deliveryCount) && deliveryCount > 0 ? deliveryCount : 1, maxAttempts: maxDeliveryCount },
              traceparent ? { traceparent } : {},
            ),
          );
          context.log(stepLogLine(outcome, traceparent));
        },
      },
    },
  ];
}
