import { InvocationContext } from '@azure/functions';
import { sampleCatalogue } from '@commandflow/commands';
import { InMemoryWorkflow } from '@commandflow/workflow';
import { validatorFunctions } from './validatorFunctions';

describe('the validator app', () => {
  const setUp = () => {
    const workflow = new InMemoryWorkflow(sampleCatalogue());
    const [definition] = validatorFunctions(async () => ({ workflow: workflow.deps, delivery: workflow.policy }));
    if (definition?.kind !== 'serviceBusQueue') throw new Error('expected one queue function');
    return { workflow, definition, context: new InvocationContext({ functionName: definition.name, triggerMetadata: { deliveryCount: 1 } }) };
  };

  it('is one Service Bus trigger on the validate queue, through the ServiceBusConnection setting', () => {
    const { definition } = setUp();
    expect(definition).toMatchObject({ name: 'validateCommand', options: { queueName: 'validate', connection: 'ServiceBusConnection' } });
  });

  it('validates the command a message names (object or JSON text), idempotently', async () => {
    const { workflow, definition, context } = setUp();
    const { commandId } = await workflow.submit({ commandType: 'create-league', parameters: { leagueName: 'Owls' } });
    await definition.options.handler({ commandId }, context);
    await definition.options.handler(JSON.stringify({ commandId }), context);
    expect((await workflow.events(commandId)).filter((e) => e.type === 'ValidationSucceeded')).toHaveLength(1);
    expect(workflow.queues.pending('execute')).toHaveLength(1);
  });

  it('asks for a message that is not a command id, or names no command, to be dead-lettered with the reason', async () => {
    const { definition, context } = setUp();
    await expect(definition.options.handler({ id: 'x' }, context)).rejects.toMatchObject({ reason: 'invalid_step_message' });
    await expect(definition.options.handler('garbage', context)).rejects.toMatchObject({ reason: 'invalid_step_message' });
    await expect(definition.options.handler({ commandId: 'no-such-command' }, context)).rejects.toMatchObject({ reason: 'command_not_found' });
  });
});
