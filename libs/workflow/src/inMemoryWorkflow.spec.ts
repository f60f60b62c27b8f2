import { expectBackOff, registerTeamCatalogue, retryMessageIds } from '../testing';
import { InMemoryWorkflow } from './inMemoryWorkflow';

const policy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 60_000 };

describe('InMemoryWorkflow: deliveries through the delivery policy', () => {
  it('retries a validate step that throws transiently three times, then completes the command', async () => {
    const { catalogue, registry } = registerTeamCatalogue({ validations: 0, failNextValidations: 3 });
    const workflow = new InMemoryWorkflow(catalogue, { policy });
    const { commandId } = await workflow.submit({ commandType: 'register-team', parameters: { teamName: 'Owls' } });
    await workflow.drain();
    expect(await workflow.state(commandId)).toMatchObject({ status: 'Completed' });
    expect(registry.validations).toBe(4);
    expect(workflow.deliveries.map((d) => [d.attempt, d.verdict.action])).toEqual([
      [1, 'retry'],
      [2, 'retry'],
      [3, 'retry'],
      [4, 'complete'],
      [1, 'complete'],
    ]);
    expect((await workflow.events(commandId)).map((e) => e.type)).toEqual(['CommandCreated', 'ParameterSet', 'ValidationSucceeded', 'CommandCompleted']);
  });

  it('ends a command whose validate step always throws Failed after the last delivery, and says why', async () => {
    const { catalogue } = registerTeamCatalogue({ validations: 0, failNextValidations: Infinity });
    const workflow = new InMemoryWorkflow(catalogue, { policy });
    const { commandId } = await workflow.submit({ commandType: 'register-team', parameters: { teamName: 'Owls' } });
    await workflow.drain();
    expect(await workflow.state(commandId)).toMatchObject({
      status: 'Failed',
      failure: { step: 'validate', code: 'registry_down', message: 'The team registry is down', attempts: 4 },
    });
    expect(workflow.queues.pending()).toEqual([]);
    expect(await workflow.queues.list('validate')).toEqual([]);
  });

  it('backs off a transiently failing execute step through scheduled messages, then gives up on the last attempt', async () => {
    const { catalogue } = registerTeamCatalogue();
    const workflow = new InMemoryWorkflow(catalogue, { policy });
    const { commandId } = await workflow.submit({ commandType: 'register-team', parameters: { teamName: 'Owls', outcome: 'transient' } });
    await workflow.drain();
    const retries = workflow.queues.accepted.filter((m) => m.queue === 'execute');
    expect(retries.map((m) => m.messageId)).toEqual(retryMessageIds(commandId, 'execute', 4));
    expect(retries.map((m) => m.properties?.['attempt'])).toEqual([undefined, 2, 3, 4]);
    expectBackOff(retries.map((m) => m.visibleAt - m.enqueuedAt.getTime()), policy);
    expect(await workflow.state(commandId)).toMatchObject({ status: 'Failed', failure: { step: 'execute', code: 'registry_busy', attempts: 4 } });
  });

  it('gives up at once on a permanent error', async () => {
    const { catalogue } = registerTeamCatalogue();
    const workflow = new InMemoryWorkflow(catalogue, { policy });
    const { commandId } = await workflow.submit({ commandType: 'register-team', parameters: { teamName: 'Owls', outcome: 'permanent' } });
    await workflow.drain();
    expect(await workflow.state(commandId)).toMatchObject({ status: 'Failed', failure: { step: 'execute', code: 'team_banned', attempts: 1 } });
  });

  it('dead-letters a poison message with the reason, and goes on with the others', async () => {
    const { catalogue } = registerTeamCatalogue();
    const workflow = new InMemoryWorkflow(catalogue, { policy });
    await workflow.queues.send('validate', { messageId: 'garbage', body: { nope: true } });
    await workflow.queues.send('execute', { messageId: 'ghost', body: { commandId: 'ghost-command' } });
    const { commandId } = await workflow.submit({ commandType: 'register-team', parameters: { teamName: 'Owls' } });
    await workflow.drain();
    expect(await workflow.state(commandId)).toMatchObject({ status: 'Completed' });
    expect(await workflow.queues.list('validate')).toEqual([expect.objectContaining({ messageId: 'garbage', reason: 'invalid_step_message', deliveryCount: 1 })]);
    expect(await workflow.queues.list('execute')).toEqual([expect.objectContaining({ messageId: 'ghost', reason: 'command_not_found' })]);
  });
});
