import { ConcurrencyError, commandStreamId, workflowEventCodec } from '@commandflow/events';
import type { EventStore } from '@commandflow/event-store';
import type { MessageSender, OutgoingMessage } from '@commandflow/messaging';
import { registerTeamCatalogue } from '../testing';
import { executeCommand } from './executeCommand';
import { InMemoryWorkflow } from './inMemoryWorkflow';
import { commandIdForIdempotencyKey } from './idempotency';
import { validateCommand } from './validateCommand';

const { catalogue } = registerTeamCatalogue();

/** A sender that fails its first `failures` sends, as a crash between append and send would. */
class FlakySender implements MessageSender {
  constructor(
    private readonly inner: MessageSender,
    private failures: number,
  ) {}
  async send(queue: string, message: OutgoingMessage): Promise<void> {
    if (this.failures-- > 0) throw new Error('process died before the send');
    await this.inner.send(queue, message);
  }
}

describe('idempotency of the steps (the runner)', () => {
  const submitOwls = (workflow: InMemoryWorkflow, parameters: Record<string, string> = {}) =>
    workflow.submit({ commandType: 'register-team', parameters: { teamName: 'Owls', ...parameters } });

  it('runs each step twice: the second run appends nothing and re-sends the same message id', async () => {
    const workflow = new InMemoryWorkflow(catalogue);
    const { commandId } = await submitOwls(workflow);
    const firstValidation = await validateCommand(workflow.deps, commandId);
    const secondValidation = await validateCommand(workflow.deps, commandId);
    expect(firstValidation.appended.map((e) => e.type)).toEqual(['ValidationSucceeded']);
    expect(secondValidation.appended).toEqual([]);
    expect(secondValidation.sent).toEqual({ queue: 'execute', messageId: `${commandId}:execute` });
    const firstRun = await executeCommand(workflow.deps, commandId);
    const secondRun = await executeCommand(workflow.deps, commandId);
    expect(firstRun.appended.map((e) => e.type)).toEqual(['CommandCompleted']);
    expect(secondRun.appended).toEqual([]);
    expect((await workflow.events(commandId)).map((e) => e.type)).toEqual([
      'CommandCreated',
      'ParameterSet',
      'ValidationSucceeded',
      'CommandCompleted',
    ]);
    expect(workflow.queues.accepted.map((m) => m.messageId)).toEqual([`${commandId}:validate`, `${commandId}:execute`]);
  });

  it('logs a command once per idempotency key, type and scope, and reports the same request again as existing', async () => {
    const workflow = new InMemoryWorkflow(catalogue);
    const first = await workflow.submit({ commandType: 'register-team', parameters: { teamName: 'Owls', size: 5 }, idempotencyKey: 'k-1' });
    const again = await workflow.submit({ commandType: 'register-team', parameters: { size: 5, teamName: 'Owls' }, idempotencyKey: 'k-1' });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, commandId: first.commandId, appended: [] });
    expect(first.commandId).toBe(commandIdForIdempotencyKey({ source: 'cli', owner: 'tester' }, 'register-team', 'k-1'));
    expect(first.commandId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await workflow.state(first.commandId)).status).toBe('Created');
    expect(workflow.queues.pending('validate')).toHaveLength(1);
  });

  it('refuses a key reused with other parameters (idempotency_key_reused), and keeps keys of other callers and sources apart', async () => {
    const workflow = new InMemoryWorkflow(catalogue);
    const first = await workflow.submit({ commandType: 'register-team', parameters: { teamName: 'Owls' }, idempotencyKey: 'k-1' });
    await expect(workflow.submit({ commandType: 'register-team', parameters: { teamName: 'Other' }, idempotencyKey: 'k-1' })).rejects.toMatchObject({
      code: 'idempotency_key_reused',
      details: { commandId: first.commandId },
    });
    const otherCaller = await workflow.submit({ commandType: 'register-team', parameters: { teamName: 'Owls' }, idempotencyKey: 'k-1', actor: 'mallory' });
    const otherSource = await workflow.submit({ commandType: 'register-team', parameters: { teamName: 'Owls' }, idempotencyKey: 'k-1', source: 'eventgrid' });
    const otherTopic = await workflow.submit({ commandType: 'register-team', parameters: { teamName: 'Owls' }, idempotencyKey: 'k-1', idempotencyScope: 'topic-b' });
    expect([otherCaller, otherSource, otherTopic].map((o) => o.created)).toEqual([true, true, true]);
    expect(new Set([first, otherCaller, otherSource, otherTopic].map((o) => o.commandId)).size).toBe(4);
    expect(await workflow.state(first.commandId)).toMatchObject({ requestFingerprint: expect.stringMatching(/^sha256:/), parameters: { teamName: 'Owls' } });
  });

  it('rejects parameters over the input limits before anything is written', async () => {
    const workflow = new InMemoryWorkflow(catalogue);
    let deep: unknown = 'x';
    for (let n = 0; n < 5_000; n++) deep = [deep];
    const many = Object.fromEntries(Array.from({ length: 1_001 }, (_, n) => [`p${n}`, n]));
    const cases: [Record<string, unknown>, string][] = [
      [{ teamName: deep }, 'nesting_too_deep'],
      [many, 'too_many_parameters'],
      [{ teamName: 'x'.repeat(70_000) }, 'string_too_long'],
      [{ teamName: Array.from({ length: 3_000 }, () => 'y'.repeat(60)) }, 'parameter_too_large'],
      [JSON.parse('{"teamName":"Owls","__proto__":{"admin":true}}'), 'reserved_key'],
    ];
    for (const [parameters, code] of cases) {
      await expect(workflow.submit({ commandType: 'register-team', parameters: parameters as never })).rejects.toMatchObject({ code });
    }
    expect(workflow.queues.accepted).toEqual([]);
  });

  it('rejects an unknown command type or a malformed request and writes nothing', async () => {
    const workflow = new InMemoryWorkflow(catalogue);
    await expect(workflow.submit({ commandType: 'no-such-type', parameters: {} })).rejects.toMatchObject({
      code: 'unknown_command_type',
      message: expect.stringContaining('register-team'),
    });
    await expect(workflow.submit({ commandType: 'register-team', parameters: [] as never })).rejects.toMatchObject({
      code: 'invalid_command_request',
    });
    await expect(workflow.submit({ commandType: 'register-team', parameters: {}, actor: '' })).rejects.toMatchObject({
      code: 'invalid_command_request',
    });
    expect(workflow.queues.accepted).toEqual([]);
  });

  it('ignores an execute message that arrives before validation, and completes once validation sends its own', async () => {
    const workflow = new InMemoryWorkflow(catalogue);
    const { commandId } = await submitOwls(workflow);
    await expect(executeCommand(workflow.deps, commandId)).rejects.toMatchObject({ code: 'not_validated' });
    expect((await workflow.events(commandId)).map((e) => e.type)).toEqual(['CommandCreated', 'ParameterSet']);
    await workflow.drain();
    expect((await workflow.state(commandId)).status).toBe('Completed');
  });

  it('gives exactly one set of validation events when two validators run concurrently', async () => {
    const workflow = new InMemoryWorkflow(catalogue);
    const { commandId } = await submitOwls(workflow, { outcome: 'ok' });
    const outcomes = await Promise.all([validateCommand(workflow.deps, commandId), validateCommand(workflow.deps, commandId)]);
    expect(outcomes.map((o) => o.appended.length).sort()).toEqual([0, 1]);
    expect((await workflow.events(commandId)).filter((e) => e.type === 'ValidationSucceeded')).toHaveLength(1);
  });

  it('re-decides after losing an append race, and gives up with ConcurrencyError when it keeps losing', async () => {
    const workflow = new InMemoryWorkflow(catalogue);
    const { commandId } = await submitOwls(workflow);
    const alwaysConflicting: EventStore = {
      readStream: (streamId, options) => workflow.eventStore.readStream(streamId, options),
      appendToStream: async (streamId) => {
        throw new ConcurrencyError(streamId, 2, 3);
      },
    };
    await expect(validateCommand({ ...workflow.deps, eventStore: alwaysConflicting, maxConcurrencyRetries: 2 }, commandId)).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
  });

  it('heals a crash between append and send: the redelivery appends nothing and sends the next message', async () => {
    const workflow = new InMemoryWorkflow(catalogue);
    const { commandId } = await submitOwls(workflow);
    const crashing = { ...workflow.deps, sender: new FlakySender(workflow.queues, 1) };
    await expect(validateCommand(crashing, commandId)).rejects.toThrow('process died before the send');
    expect((await workflow.state(commandId)).status).toBe('Validated');
    expect(workflow.queues.pending('execute')).toEqual([]);
    const redelivery = await validateCommand(crashing, commandId);
    expect(redelivery.appended).toEqual([]);
    expect(workflow.queues.pending('execute').map((m) => m.messageId)).toEqual([`${commandId}:execute`]);
  });

  it('passes the traceparent from the request through the events and into the next messages', async () => {
    const workflow = new InMemoryWorkflow(catalogue);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const { commandId } = await workflow.submit({ commandType: 'register-team', parameters: { teamName: 'Owls' }, traceparent });
    expect(workflow.queues.pending('validate')[0]?.properties).toMatchObject({ traceparent, commandId, commandType: 'register-team' });
    const [validateMessage] = await workflow.queues.receive('validate');
    await validateCommand(workflow.deps, commandId, { traceparent: validateMessage?.properties['traceparent'] as string });
    expect(workflow.queues.pending('execute')[0]?.properties).toMatchObject({ traceparent });
    const events = (await workflow.eventStore.readStream(commandStreamId(commandId))).events;
    expect(events.map((e) => e.metadata.traceparent)).toEqual([traceparent, traceparent, traceparent]);
    await expect(workflow.submit({ commandType: 'register-team', parameters: {}, traceparent: 'not-a-trace' })).rejects.toMatchObject({
      code: 'invalid_command_request',
    });
  });

  it('stamps every workflow event with the command, correlation, causation, actor and schema version', async () => {
    const workflow = new InMemoryWorkflow(catalogue);
    const { commandId } = await workflow.submit({
      commandType: 'register-team',
      parameters: { teamName: 'Owls' },
      actor: 'grace',
      correlationId: 'corr-9',
      causationId: 'request-9',
    });
    await workflow.drain();
    const events = (await workflow.eventStore.readStream(commandStreamId(commandId))).events;
    expect(workflowEventCodec.decodeAll(events).map((e) => [e.type, e.metadata.causationId, e.metadata.actor, e.metadata.correlationId])).toEqual([
      ['CommandCreated', 'request-9', 'grace', 'corr-9'],
      ['ParameterSet', 'request-9', 'grace', 'corr-9'],
      ['ValidationSucceeded', `${commandId}:validate`, 'grace', 'corr-9'],
      ['CommandCompleted', `${commandId}:execute`, 'grace', 'corr-9'],
    ]);
    expect(events[0]!.metadata.schemaVersion).toBe(2);
  });
});

describe('effects (the command\'s own code) in the runner', () => {
  it('runs the rules once per delivery: a lost append race re-reads and re-decides with the outcome already known', async () => {
    const { catalogue: counted, registry } = registerTeamCatalogue();
    const workflow = new InMemoryWorkflow(counted);
    const { commandId } = await workflow.submit({ commandType: 'register-team', parameters: { teamName: 'Owls' } });
    let conflicts = 1;
    const losingOnce: EventStore = {
      readStream: (streamId, options) => workflow.eventStore.readStream(streamId, options),
      appendToStream: async (streamId, events, options) => {
        if (conflicts-- > 0) throw new ConcurrencyError(streamId, 2, 2);
        return workflow.eventStore.appendToStream(streamId, events, options);
      },
    };
    const outcome = await validateCommand({ ...workflow.deps, eventStore: losingOnce }, commandId);
    expect(outcome.appended.map((e) => e.type)).toEqual(['ValidationSucceeded']);
    expect(registry.validations).toBe(1);
  });

  it('runs no effect once its result is in the stream', async () => {
    const { catalogue: counted, registry } = registerTeamCatalogue();
    const workflow = new InMemoryWorkflow(counted);
    const { commandId } = await workflow.submit({ commandType: 'register-team', parameters: { teamName: 'Owls' } });
    await validateCommand(workflow.deps, commandId);
    await validateCommand(workflow.deps, commandId);
    expect(registry.validations).toBe(1);
  });
});
