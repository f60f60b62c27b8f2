import { InvocationContext } from '@azure/functions';
import { sampleCatalogue } from '@commandflow/commands';
import { InMemoryWorkflow, validateCommand } from '@commandflow/workflow';
import { executorFunctions } from './executorFunctions';

/** A workflow with the league Owls formed and an undeliverable invitation validated, its execute message not yet handled. */
async function validatedInvitation() {
  const workflow = new InMemoryWorkflow(sampleCatalogue());
  await workflow.submit({ commandType: 'create-league', parameters: { leagueName: 'Owls' } });
  await workflow.drain();
  const { commandId } = await workflow.submit({ commandType: 'invite-league-member', parameters: { leagueName: 'Owls', email: 'x@y.invalid' } });
  await validateCommand(workflow.deps, commandId);
  const [definition] = executorFunctions(async () => ({ workflow: workflow.deps, delivery: workflow.policy }));
  if (definition?.kind !== 'serviceBusQueue') throw new Error('expected one queue function');
  return { workflow, definition, commandId };
}

const delivery = (triggerMetadata: Record<string, unknown> = {}) => new InvocationContext({ functionName: 'executeCommand', triggerMetadata });

describe('the executor app', () => {
  it('is one Service Bus trigger on the execute queue', async () => {
    const { definition } = await validatedInvitation();
    expect(definition).toMatchObject({ name: 'executeCommand', options: { queueName: 'execute', connection: 'ServiceBusConnection' } });
  });

  it('takes the attempt from the delivery count and the retry\'s attempt property, and records the command once however often it runs', async () => {
    const { workflow, definition, commandId } = await validatedInvitation();
    await definition.options.handler({ commandId }, delivery({ deliveryCount: 2, applicationProperties: { attempt: 3 } }));
    await definition.options.handler({ commandId }, delivery({ deliveryCount: 5 }));
    expect(await workflow.state(commandId)).toMatchObject({ status: 'Failed', failure: { step: 'execute', code: 'undeliverable_address', attempts: 4 } });
    expect((await workflow.events(commandId)).filter((e) => e.type === 'CommandFailed')).toHaveLength(1);
  });

  it('counts a delivery without a count as the first', async () => {
    const { workflow, definition, commandId } = await validatedInvitation();
    await definition.options.handler({ commandId }, delivery());
    expect(await workflow.state(commandId)).toMatchObject({ failure: { attempts: 1 } });
  });

  it('asks for a message that is not a step message to be dead-lettered, with the reason', async () => {
    const { definition } = await validatedInvitation();
    await expect(definition.options.handler('garbage', delivery())).rejects.toMatchObject({ name: 'DeadLetterRequest', reason: 'invalid_step_message' });
  });
});
