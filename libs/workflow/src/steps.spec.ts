import { z } from 'zod';
import {
  ConcurrencyError,
  PermanentError,
  TransientError,
  commandStreamId,
  workflowEventCodec,
  type WorkflowEvent,
  type WorkflowEventDraft,
} from '@commandflow/events';
import type { EventStore } from '@commandflow/event-store';
import type { MessageSender, OutgoingMessage } from '@commandflow/messaging';
import { commandState } from '@commandflow/projections';
import { CommandCatalogue, defineCommand } from './commandDefinition';
import { InMemoryWorkflow } from './inMemoryWorkflow';
import { commandIdForIdempotencyKey } from './idempotency';
import { logStep } from './logCommand';
import { performCommand, performStep } from './performCommand';
import type { Step, WorkflowDependencies } from './stepRunner';
import { validateCommand, validateStep } from './validateCommand';

/** How the test command's execute behaves, by the `outcome` parameter. */
const executeOutcomes = {
  ok: () => ({ registered: true }),
  permanent: () => {
    throw new PermanentError('team_banned', 'This team is banned');
  },
  transient: () => {
    throw new TransientError('registry_busy', 'The registry is busy');
  },
  bug: () => {
    throw new TypeError('cannot read properties of undefined');
  },
};

const registerTeam = defineCommand({
  type: 'register-team',
  description: 'Register a team (test command)',
  parameters: z.object({
    teamName: z.string().min(1),
    players: z.number().int().optional(),
    outcome: z.enum(['ok', 'permanent', 'transient', 'bug']).default('ok'),
  }),
  validate: ({ players }) =>
    players !== undefined && players < 11 ? [{ parameter: 'players', rule: 'full-side', message: 'fewer than 11 players', fatal: false }] : [],
  execute: ({ outcome }) => executeOutcomes[outcome](),
});
const catalogue = new CommandCatalogue([registerTeam]);

function given(...drafts: WorkflowEventDraft[]): WorkflowEvent[] {
  return drafts.map(
    (draft, index) =>
      ({
        ...draft,
        eventId: `e${index}`,
        streamId: commandStreamId('c1'),
        version: index + 1,
        metadata: { commandId: 'c1', correlationId: 'c1', causationId: 'c1', actor: 'ada', occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 },
      }) as WorkflowEvent,
  );
}

const deps = (): WorkflowDependencies => new InMemoryWorkflow(catalogue).deps;
const decide = <Input>(step: Step<Input>, history: WorkflowEvent[], input: Input) => step.decide(commandState(history), input, deps());

const created: WorkflowEventDraft = { type: 'CommandCreated', data: { commandType: 'register-team', actor: 'ada', source: 'http' } };
const teamName = (value: string): WorkflowEventDraft => ({ type: 'ParameterSet', data: { name: 'teamName', value } });
const outcome = (value: keyof typeof executeOutcomes): WorkflowEventDraft => ({ type: 'ParameterSet', data: { name: 'outcome', value } });
const validated: WorkflowEventDraft = { type: 'ValidationSucceeded', data: { warnings: 0 } };
const firstAttempt = { attempt: 1, maxAttempts: 3 };

describe('log step', () => {
  const request = { commandType: 'register-team', parameters: { teamName: 'Owls', players: 11 }, actor: 'ada', source: 'cli' as const };

  it('given no stream, records CommandCreated and one ParameterSet per parameter', async () => {
    await expect(decide(logStep, given(), request)).resolves.toEqual([
      { type: 'CommandCreated', data: { commandType: 'register-team', actor: 'ada', source: 'cli' } },
      { type: 'ParameterSet', data: { name: 'teamName', value: 'Owls' } },
      { type: 'ParameterSet', data: { name: 'players', value: 11 } },
    ]);
  });

  it('given the command is already logged, records nothing', async () => {
    await expect(decide(logStep, given(created, teamName('Owls')), request)).resolves.toEqual([]);
  });
});

describe('validate step', () => {
  it('given a Created command with good parameters, records ValidationSucceeded', async () => {
    await expect(decide(validateStep, given(created, teamName('Owls')), undefined)).resolves.toEqual([validated]);
  });

  it('given parameters that break the schema, records a fatal error per issue and no success', async () => {
    const drafts = await decide(validateStep, given(created, { type: 'ParameterSet', data: { name: 'players', value: 'eleven' } }), undefined);
    expect(drafts).toEqual([
      { type: 'ValidationErrorOccurred', data: { parameter: 'teamName', rule: 'invalid_type', message: expect.any(String), fatal: true } },
      { type: 'ValidationErrorOccurred', data: { parameter: 'players', rule: 'invalid_type', message: expect.any(String), fatal: true } },
    ]);
  });

  it('given a business-rule warning, records it and then ValidationSucceeded', async () => {
    const history = given(created, teamName('Owls'), { type: 'ParameterSet', data: { name: 'players', value: 7 } });
    await expect(decide(validateStep, history, undefined)).resolves.toEqual([
      { type: 'ValidationErrorOccurred', data: { parameter: 'players', rule: 'full-side', message: 'fewer than 11 players', fatal: false } },
      { type: 'ValidationSucceeded', data: { warnings: 1 } },
    ]);
  });

  it('given a command type no longer in the catalogue, records a fatal error', async () => {
    const history = given({ type: 'CommandCreated', data: { commandType: 'retired-type', actor: 'ada', source: 'http' } });
    await expect(decide(validateStep, history, undefined)).resolves.toEqual([
      { type: 'ValidationErrorOccurred', data: { rule: 'known-command-type', message: 'Unknown command type retired-type', fatal: true } },
    ]);
  });

  it.each([
    ['Validated', given(created, teamName('Owls'), validated)],
    ['Invalid', given(created, { type: 'ValidationErrorOccurred', data: { rule: 'r', message: 'm', fatal: true } })],
    ['Completed', given(created, teamName('Owls'), validated, { type: 'CommandCompleted', data: {} })],
  ])('given the command is %s, records nothing', async (_status, history) => {
    await expect(decide(validateStep, history, undefined)).resolves.toEqual([]);
  });

  it('given no stream, fails permanently with command_not_found', async () => {
    await expect(decide(validateStep, given(), undefined)).rejects.toMatchObject({ code: 'command_not_found', retryable: false });
  });
});

describe('perform step', () => {
  it('given a Validated command, executes it and records CommandCompleted with the result', async () => {
    await expect(decide(performStep, given(created, teamName('Owls'), validated), firstAttempt)).resolves.toEqual([
      { type: 'CommandCompleted', data: { result: { registered: true } } },
    ]);
  });

  it('given a permanent failure, records CommandFailed with the code and attempt', async () => {
    await expect(decide(performStep, given(created, teamName('Owls'), outcome('permanent'), validated), firstAttempt)).resolves.toEqual([
      { type: 'CommandFailed', data: { error: { code: 'team_banned', message: 'This team is banned' }, attempts: 1 } },
    ]);
  });

  it('given a transient failure before the last attempt, rethrows it for the trigger to retry', async () => {
    const history = given(created, teamName('Owls'), outcome('transient'), validated);
    await expect(decide(performStep, history, { attempt: 2, maxAttempts: 3 })).rejects.toMatchObject({ code: 'registry_busy' });
  });

  it('given a transient failure on the last attempt, records CommandFailed', async () => {
    const history = given(created, teamName('Owls'), outcome('transient'), validated);
    await expect(decide(performStep, history, { attempt: 3, maxAttempts: 3 })).resolves.toEqual([
      { type: 'CommandFailed', data: { error: { code: 'registry_busy', message: 'The registry is busy' }, attempts: 3 } },
    ]);
  });

  it('given an unexpected error on the last attempt, records CommandFailed as unhandled_error', async () => {
    const history = given(created, teamName('Owls'), outcome('bug'), validated);
    await expect(decide(performStep, history, { attempt: 3, maxAttempts: 3 })).resolves.toMatchObject([
      { type: 'CommandFailed', data: { error: { code: 'unhandled_error' } } },
    ]);
  });

  it('given a command not yet validated, asks to be retried later and records nothing', async () => {
    await expect(decide(performStep, given(created, teamName('Owls')), firstAttempt)).rejects.toMatchObject({
      code: 'not_validated',
      retryable: true,
    });
  });

  it.each([
    ['Completed', given(created, teamName('Owls'), validated, { type: 'CommandCompleted', data: {} })],
    ['Failed', given(created, teamName('Owls'), validated, { type: 'CommandFailed', data: { error: { code: 'x', message: 'y' }, attempts: 1 } })],
    ['Invalid', given(created, { type: 'ValidationErrorOccurred', data: { rule: 'r', message: 'm', fatal: true } })],
  ])('given the command is %s, executes nothing', async (_status, history) => {
    await expect(decide(performStep, history, firstAttempt)).resolves.toEqual([]);
  });
});

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
    const firstRun = await performCommand(workflow.deps, commandId, firstAttempt);
    const secondRun = await performCommand(workflow.deps, commandId, firstAttempt);
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
    expect((await workflow.state(first.commandId)).status === 'Created' && (await workflow.state(first.commandId))).toMatchObject({
      requestFingerprint: expect.stringMatching(/^sha256:/),
      parameters: { teamName: 'Owls' },
    });
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
    await expect(performCommand(workflow.deps, commandId, firstAttempt)).rejects.toMatchObject({ code: 'not_validated' });
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
    await validateCommand(workflow.deps, commandId, { traceparent: workflow.queues.take('validate')?.properties?.['traceparent'] as string });
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
