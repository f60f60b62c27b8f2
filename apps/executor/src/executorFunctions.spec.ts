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
  workflow.queues.take('validate');
  await validateCommand(workflow.deps, commandId);
  const [definition] = executorFunctions(async () => ({ workflow: workflow.deps, maxDeliveryCount: 5 }));
  if (definition?.kind !== 'serviceBusQueue') throw new Error('expected one queue function');
  return { workflow, definition, commandId };
}

const delivery = (deliveryCount?: number) =>
  new InvocationContext({ functionName: 'performCommand', triggerMetadata: deliveryCount === undefined ? {} : { deliveryCount } });

describe('the executor app', () => {
  it('is one Service Bus trigger on the execute queue', async () => {
    const { definition } = await validatedInvitation();
    expect(definition).toMatchObject({ name: 'performCommand', options: { queueName: 'execute', connection: 'ServiceBusConnection' } });
  });

  it('takes the attempt from triggerMetadata.deliveryCount, and records the command once however often it runs', async () => {
    const { workflow, definition, commandId } = await validatedInvitation();
    await definition.options.handler({ commandId }, delivery(4));
    await definition.options.handler({ commandId }, delivery(5));
    expect(await workflow.state(commandId)).toMatchObject({ status: 'Failed', failure: { code: 'undeliverable_address', attempts: 4 } });
    expect((await workflow.events(commandId)).filter((e) => e.type === 'CommandFailed')).toHaveLength(1);
  });

  it('counts a delivery without a count as the first', async () => {
    const { workflow, definition, commandId } = await validatedInvitation();
    await definition.options.handler({ commandId }, delivery());
    expect(await workflow.state(commandId)).toMatchObject({ failure: { attempts: 1 } });
  });
});
