import { InMemoryWorkflow, executeCommand } from '@commandflow/workflow';
import { leagueEventCodec, leagueSlug, leagueStreamId } from './leagueEvents';
import { sampleCatalogue } from './catalogue';

/** The clock starts 2026-01-01, so 2027 is in the future. */
const newWorkflow = () => new InMemoryWorkflow(sampleCatalogue(), { startAt: '2026-01-01T00:00:00.000Z', policy: { maxAttempts: 3 } });

async function run(workflow: InMemoryWorkflow, commandType: string, parameters: Record<string, string>) {
  const { commandId } = await workflow.submit({ commandType, parameters });
  await workflow.drain();
  return { commandId, state: await workflow.state(commandId), types: (await workflow.events(commandId)).map((e) => e.type) };
}

const leagueEvents = async (workflow: InMemoryWorkflow, name: string) =>
  leagueEventCodec.decodeAll((await workflow.eventStore.readStream(leagueStreamId(name))).events);

describe('the Leagues commands through the whole workflow (in-memory store and queues)', () => {
  it('valid: create-league completes and forms the league with its contact details, caused by the command', async () => {
    const workflow = newWorkflow();
    const { commandId, state, types } = await run(workflow, 'create-league', {
      leagueName: 'Leeds Lions',
      dateIncorporated: '1999-05-01',
      email: 'hello@lions.example',
      twitterHandle: '@lions',
    });
    expect(types).toEqual(['CommandCreated', 'ParameterSet', 'ParameterSet', 'ParameterSet', 'ParameterSet', 'ValidationSucceeded', 'CommandCompleted']);
    expect(state).toMatchObject({ status: 'Completed', result: { leagueStreamId: 'league-leeds-lions', leagueName: 'Leeds Lions' } });
    const events = await leagueEvents(workflow, 'Leeds Lions');
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['LeagueFormed', { leagueName: 'Leeds Lions', dateIncorporated: '1999-05-01' }],
      ['ContactDetailsChanged', { email: 'hello@lions.example', twitterHandle: '@lions' }],
    ]);
    expect(events.every((e) => e.metadata.causationId === commandId)).toBe(true);
  });

  it('invalid (fatal): a blank name, or a name already taken, ends Invalid with the error recorded', async () => {
    const workflow = newWorkflow();
    const blank = await run(workflow, 'create-league', { leagueName: '  ' });
    expect(blank.state).toMatchObject({ status: 'Invalid', errors: [{ parameter: 'leagueName', rule: 'league-name-required', fatal: true }] });
    await run(workflow, 'create-league', { leagueName: 'Owls' });
    const taken = await run(workflow, 'create-league', { leagueName: 'OWLS' });
    expect(taken.state).toMatchObject({ status: 'Invalid', errors: [{ rule: 'league-name-unique' }] });
    expect(taken.types).toEqual(['CommandCreated', 'ParameterSet', 'ValidationErrorOccurred']);
    const noLeague = await run(workflow, 'set-league-email', { leagueName: 'Nobody', newEmailAddress: 'a@b.example' });
    expect(noLeague.state).toMatchObject({ status: 'Invalid', errors: [{ rule: 'league-exists' }] });
    const missingParameter = await run(workflow, 'create-league', {});
    expect(missingParameter.state).toMatchObject({ status: 'Invalid', errors: [{ parameter: 'leagueName', rule: 'invalid_type' }] });
  });

  it('warning-only: a future date and a malformed email are warnings, and the league is still formed', async () => {
    const workflow = newWorkflow();
    const { state, types } = await run(workflow, 'create-league', { leagueName: 'Future FC', dateIncorporated: '2027-03-01', email: 'not-an-email' });
    expect(state).toMatchObject({
      status: 'Completed',
      errors: [],
      warnings: [
        { parameter: 'dateIncorporated', rule: 'date-not-in-future', fatal: false },
        { parameter: 'email', rule: 'email-format', fatal: false },
      ],
    });
    expect(types.filter((t) => t === 'ValidationErrorOccurred')).toHaveLength(2);
    const blankEmail = await run(workflow, 'set-league-email', { leagueName: 'Future FC', newEmailAddress: ' ', notes: 'cleared' });
    expect(blankEmail.state).toMatchObject({ status: 'Completed', warnings: [{ rule: 'email-not-blank' }] });
    expect((await leagueEvents(workflow, 'Future FC')).map((e) => e.type)).toEqual(['LeagueFormed', 'ContactDetailsChanged', 'LeagueEmailChanged']);
  });

  it('failing: an invitation that cannot be delivered ends Failed with the code, and writes no domain event', async () => {
    const workflow = newWorkflow();
    await run(workflow, 'create-league', { leagueName: 'Owls' });
    const { state } = await run(workflow, 'invite-league-member', { leagueName: 'Owls', email: 'ghost@nowhere.invalid' });
    expect(state).toMatchObject({ status: 'Failed', failure: { step: 'execute', code: 'undeliverable_address', attempts: 1 } });
    expect((await leagueEvents(workflow, 'Owls')).map((e) => e.type)).toEqual(['LeagueFormed']);
    const delivered = await run(workflow, 'invite-league-member', { leagueName: 'Owls', email: 'ada@owls.example', memberName: 'Ada' });
    expect(delivered.state.status).toBe('Completed');
  });

  it('failing: two creations of one league that both pass validation: the second fails at execution', async () => {
    const workflow = newWorkflow();
    const first = await workflow.submit({ commandType: 'create-league', parameters: { leagueName: 'Twins' } });
    const second = await workflow.submit({ commandType: 'create-league', parameters: { leagueName: 'Twins' } });
    await workflow.drain();
    const statuses = [(await workflow.state(first.commandId)).status, (await workflow.state(second.commandId)).status];
    expect(statuses).toEqual(['Completed', 'Failed']);
    expect(await workflow.state(second.commandId)).toMatchObject({ failure: { code: 'league_exists' } });
    expect(await leagueEvents(workflow, 'Twins')).toHaveLength(1);
  });

  it('retrying execute after a partial failure neither duplicates the league events nor fails', async () => {
    const workflow = newWorkflow();
    const { commandId } = await workflow.submit({ commandType: 'create-league', parameters: { leagueName: 'Herons', email: 'h@herons.example' } });
    await workflow.drain();
    // As if the process died after writing the league stream but before CommandCompleted: replay execute on a copy
    // of the stream without its last event.
    const { events } = await workflow.eventStore.readStream(`command-${commandId}`);
    const replica = new InMemoryWorkflow(sampleCatalogue());
    await replica.eventStore.appendToStream(`command-${commandId}`, events.slice(0, -1), { expectedVersion: 'no-stream' });
    await replica.eventStore.appendToStream(leagueStreamId('Herons'), (await workflow.eventStore.readStream(leagueStreamId('Herons'))).events, {
      expectedVersion: 'no-stream',
    });
    const retry = await executeCommand(replica.deps, commandId);
    expect(retry.state.status).toBe('Completed');
    expect((await replica.eventStore.readStream(leagueStreamId('Herons'))).version).toBe(2);
  });

  it('names league streams by a slug of the name', () => {
    expect(leagueSlug('  Ünited  Leagues of  Leeds!! ')).toBe('united-leagues-of-leeds');
    expect(leagueStreamId('Leeds Lions')).toBe('league-leeds-lions');
  });

  it('describes every command type with its parameters as JSON Schema', () => {
    const described = sampleCatalogue().describe();
    expect(described.map((d) => d.type)).toEqual(['create-league', 'set-league-email', 'invite-league-member']);
    expect(described[0]!.parameters).toMatchObject({ type: 'object', required: ['leagueName'], properties: { email: { type: 'string' } } });
  });
});
