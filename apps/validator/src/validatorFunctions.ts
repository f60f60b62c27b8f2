import { stepLogLine, type FunctionDefinition } from '@commandflow/functions';
import { startInvocationStepSpan } from '@commandflow/telemetry';
import { connectionNames, queueNames } from '@commandflow/topology';
import { commandIdOf, validateCommand, type WorkflowDependencies } from '@commandflow/workflow';

/**
 * The validator app: one Service Bus trigger on `validate`. A step that throws is abandoned and
 * redelivered; a message that is not a command id fails every delivery and is dead-lettered.
 */
export function validatorFunctions(workflow: () => Promise<WorkflowDependencies>): FunctionDefinition[] {
  return [
    {
      kind: 'serviceBusQueue',
      name: 'validateCommand',
      options: {
        queueName: queueNames.validate,
        connection: connectionNames.serviceBus,
        handler: async (message, context) => {
          const commandId = commandIdOf(message);
          const span = startInvocationStepSpan('validate', context, commandId);
          const { traceparent } = span;
          const outcome = await span.record(async () => validateCommand(await workflow(), commandId, traceparent ? { traceparent } : {}));
          context.log(stepLogLine(outcome, traceparent));
        },
      },
    },
  ];
}
