import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { commandStreamId } from '@commandflow/events';
import {
  InMemoryUsageStore,
  UsageMeter,
  defaultPriceTable,
  estimateRequestUnits,
  meteredEventStore,
  meteredMessageSender,
  requestUnitTableOf,
  type CommandCost,
} from '@commandflow/usage';
import { inMemoryIntake } from './inMemoryIntake.fixture';

const units = requestUnitTableOf(defaultPriceTable);

function intake({ keepsUsage = true } = {}) {
  const usage = new InMemoryUsageStore();
  let meter!: UsageMeter; // made when inMemoryIntake calls back, before it returns
  const { workflow, http } = inMemoryIntake((inMemory) => {
    meter = new UsageMeter(usage, { now: inMemory.deps.now, newId: inMemory.deps.newId });
    return {
      workflow: { ...inMemory.deps, eventStore: meteredEventStore(inMemory.eventStore, units), sender: meteredMessageSender(inMemory.queues) },
      ...(keepsUsage ? { usage, meter } : {}),
    };
  });
  const call = async (name: string, request: HttpRequest) => (await http(name)(request, new InvocationContext({ functionName: name, invocationId: 'i-1' }))) as HttpResponseInit;
  const cost = (commandId: string) =>
    call('getCommandCost', new HttpRequest({ method: 'GET', url: `http://localhost/api/commands/${commandId}/cost`, params: { commandId } }));
  const submit = (body: string) =>
    call('submitCommand', new HttpRequest({ method: 'POST', url: 'http://localhost/api/commands/create-league', params: { commandType: 'create-league' }, headers: { 'content-type': 'application/json' }, body: { string: body } }));
  return { workflow, meter, usage, cost, submit };
}

describe('GET /api/commands/{commandId}/cost', () => {
  it('adds up what the command’s log step used, each field named with its unit, and prices a million such workflows', async () => {
    const { workflow, meter, cost, submit } = intake();
    const accepted = await submit('{"parameters":{"leagueName":"Owls","email":"o@owls.example"}}');
    const { commandId } = accepted.jsonBody as { commandId: string };
    expect(await submit('not json')).toMatchObject({ status: 400 }); // rejected: writes nothing, records nothing
    await meter.flush();

    const { events } = await workflow.eventStore.readStream(commandStreamId(commandId));
    const bytes = events.map((event) => Buffer.byteLength(JSON.stringify(event)));
    const answer = await cost(commandId);
    expect(answer.status).toBe(200);
    const body = answer.jsonBody as CommandCost;
    expect(body.perWorkflow).toEqual({
      executions: 1,
      executionMilliseconds: expect.any(Number),
      gigabyteSeconds: expect.any(Number),
      storeReads: 1,
      storeBytesRead: 2, // the empty stream: []
      storeWrites: 1,
      storeBytesWritten: bytes.reduce((a, b) => a + b, 0),
      eventsWritten: 3, // CommandCreated and two ParameterSet
      requestUnits: 1 + bytes.reduce((sum, size) => sum + estimateRequestUnits(units, 'write', size), 0),
      requestUnitsBasis: 'estimated',
      messagesSent: 1,
      messagesReceived: 0,
      serviceBusOperations: 1,
      storageOperations: 0,
    });
    expect(body).toMatchObject({ commandId, workflows: 1, steps: [{ step: 'log', outcome: 'succeeded' }], priceTable: { date: defaultPriceTable.date } });
    expect(body.usdPerMillionWorkflows.total).toBeGreaterThan(0);
  });

  it('answers 404 for a command that does not exist, 400 for what is not a command id, 404 where no usage is kept', async () => {
    expect(await intake().cost('no-such-command')).toMatchObject({ status: 404, jsonBody: { error: { code: 'command_not_found' } } });
    expect(await intake().cost('not a command id!')).toMatchObject({ status: 400, jsonBody: { error: { code: 'invalid_command_id' } } });
    expect(await intake({ keepsUsage: false }).cost('c-1')).toMatchObject({ status: 404, jsonBody: { error: { code: 'usage_not_recorded' } } });
  });

  it('answers 200 with nothing used yet for a command whose records are not written yet', async () => {
    const { cost, submit } = intake();
    const { commandId } = (await submit('{"parameters":{"leagueName":"Larks"}}')).jsonBody as { commandId: string };
    expect(await cost(commandId)).toMatchObject({ status: 200, jsonBody: { steps: [], perWorkflow: { executions: 0, requestUnitsBasis: 'none' } } });
  });
});
