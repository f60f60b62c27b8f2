import { commandStreamId, workflowEventCodec } from '@commandflow/events';
import { commandListItemFromStream } from '@commandflow/projections';
import { registerTeamCatalogue } from '../testing';
import { projectToCommandList } from './commandListProjector';
import { InMemoryCommandListStore } from './inMemoryCommandListStore';
import { InMemoryWorkflow } from './inMemoryWorkflow';
import { validateCommand } from './validateCommand';
import { listStalledCommands, sweepStalledCommands, type SweepSettings } from './stalledCommandSweeper';

const settings: SweepSettings = { stallAfterMs: 10 * 60_000, reconcileWindowMs: 2 * 60_000, maxNudges: 3, maxCommandsPerQuery: 100 };
const pastStall = settings.stallAfterMs + 1_000;

/** The in-memory workflow with the command-list read model beside it, projected on demand (the change feed's job). */
function sweptWorkflow() {
  const { catalogue } = registerTeamCatalogue();
  const workflow = new InMemoryWorkflow(catalogue);
  const listStore = new InMemoryCommandListStore();
  const deps = { workflow: workflow.deps, listStore };
  const project = async (commandId: string) =>
    projectToCommandList({ listStore, eventStore: workflow.eventStore }, (await workflow.eventStore.readStream(commandStreamId(commandId))).events);
  const submit = async (outcome = 'ok') => (await workflow.submit({ commandType: 'register-team', parameters: { teamName: 'Owls', outcome } })).commandId;
  /** Takes the next message of a queue off it without running its step: a lost message. */
  const lose = async (queue: 'validate' | 'execute') => {
    const [message] = await workflow.queues.receive(queue);
    if (!message) throw new Error(`nothing on ${queue}`);
    await workflow.queues.complete(message);
    return message;
  };
  const sweep = () => sweepStalledCommands(deps, settings);
  return { workflow, listStore, deps, project, submit, lose, sweep };
}

describe('the stalled-command sweeper', () => {
  it('heals a lost validate message: nudges the command with a new message id, and the workflow runs to the end', async () => {
    const { workflow, project, submit, lose, sweep } = sweptWorkflow();
    const commandId = await submit();
    await lose('validate');
    await project(commandId);
    await workflow.drain();
    expect(await workflow.state(commandId)).toMatchObject({ status: 'Created' });

    workflow.advanceClock(pastStall);
    const report = await sweep();
    expect(report.nudged).toEqual([{ commandId, status: 'Created', queue: 'validate', messageId: `${commandId}:validate:sweep-3-1`, nudge: 1 }]);
    await workflow.drain();
    expect(await workflow.state(commandId)).toMatchObject({ status: 'Completed' });
  });

  it('heals a dead-lettered execute message the same way', async () => {
    const { workflow, project, submit, lose, sweep } = sweptWorkflow();
    const commandId = await submit();
    await lose('validate');
    await validateCommand(workflow.deps, commandId);
    const [execute] = await workflow.queues.receive('execute');
    await workflow.queues.deadLetter(execute!, { reason: 'lost_in_test' });
    await project(commandId);
    expect(await workflow.state(commandId)).toMatchObject({ status: 'Validated' });

    workflow.advanceClock(pastStall);
    expect((await sweep()).nudged).toEqual([expect.objectContaining({ commandId, status: 'Validated', queue: 'execute', nudge: 1 })]);
    await workflow.drain();
    expect(await workflow.state(commandId)).toMatchObject({ status: 'Completed' });
  });

  it('never touches a terminal command: no message, no write, however old', async () => {
    const { workflow, listStore, project, submit, sweep } = sweptWorkflow();
    const completed = await submit();
    const failed = await submit('permanent');
    await workflow.drain();
    await project(completed);
    await project(failed);
    const before = [await listStore.get(completed), await listStore.get(failed)];
    const sent = workflow.queues.accepted.length;
    for (const wait of [0, pastStall, 10 * pastStall]) {
      workflow.advanceClock(wait);
      expect(await sweep()).toMatchObject({ repaired: [], nudged: [], gaveUp: [] });
    }
    expect(workflow.queues.accepted).toHaveLength(sent);
    expect([await listStore.get(completed), await listStore.get(failed)]).toEqual(before);
  });

  it('leaves a command alone until it has not moved for the threshold, and gives a nudge that long to work', async () => {
    const { workflow, project, submit, lose, sweep } = sweptWorkflow();
    const commandId = await submit();
    await lose('validate');
    await project(commandId);
    workflow.advanceClock(settings.stallAfterMs - 60_000);
    expect((await sweep()).nudged).toEqual([]);
    workflow.advanceClock(120_000);
    expect((await sweep()).nudged).toHaveLength(1);
    await lose('validate');
    workflow.advanceClock(settings.stallAfterMs - 60_000);
    expect((await sweep()).nudged).toEqual([]);
    workflow.advanceClock(120_000);
    expect((await sweep()).nudged).toEqual([expect.objectContaining({ commandId, nudge: 2, messageId: `${commandId}:validate:sweep-3-2` })]);
  });

  it('gives up after maxNudges at one version, reports it once, and lists it as given up', async () => {
    const { workflow, deps, project, submit, lose, sweep } = sweptWorkflow();
    const commandId = await submit();
    await lose('validate');
    await project(commandId);
    const reports = [];
    for (let tick = 0; tick < settings.maxNudges + 2; tick++) {
      workflow.advanceClock(pastStall);
      reports.push(await sweep());
      if (workflow.queues.pending('validate').length > 0) await lose('validate');
    }
    expect(reports.map((report) => [report.nudged.length, report.gaveUp.length])).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    expect(reports[3]!.gaveUp).toEqual([{ commandId, status: 'Created', nudges: settings.maxNudges }]);
    expect(await listStalledCommands(deps, settings, 10)).toEqual([
      expect.objectContaining({ commandId, status: 'Created', version: 3, nudges: settings.maxNudges, gaveUpAt: expect.any(String) }),
    ]);
    expect(await workflow.state(commandId)).toMatchObject({ status: 'Created' });
  });

  it('nudges at most a page of commands per sweep, and commands it is waiting on or gave up on never hide the others', async () => {
    const { workflow, deps, project, submit, lose } = sweptWorkflow();
    const small = { ...settings, maxCommandsPerQuery: 2, maxNudges: 1 };
    const first = [await submit(), await submit(), await submit(), await submit(), await submit()];
    for (const commandId of first) {
      await lose('validate');
      await project(commandId);
    }
    workflow.advanceClock(pastStall);
    const nudgedPerSweep: number[] = [];
    for (let sweep = 0; sweep < 3; sweep++) {
      nudgedPerSweep.push((await sweepStalledCommands(deps, small)).nudged.length);
      while (workflow.queues.pending('validate').length > 0) await lose('validate');
    }
    expect(nudgedPerSweep).toEqual([2, 2, 1]);
    workflow.advanceClock(pastStall);
    expect((await sweepStalledCommands(deps, small)).gaveUp).toHaveLength(2);
    expect((await sweepStalledCommands(deps, small)).gaveUp).toHaveLength(2);
    expect((await sweepStalledCommands(deps, small)).gaveUp).toHaveLength(1);
    // Five given up on, oldest first in the query: a command that stalls later is still nudged.
    const later = await submit();
    await lose('validate');
    await project(later);
    workflow.advanceClock(pastStall);
    expect((await sweepStalledCommands(deps, small)).nudged).toEqual([expect.objectContaining({ commandId: later })]);
  });

  it('repairs a document that lags its stream, recent or old, and does not nudge a command that in truth finished', async () => {
    const { workflow, listStore, project, submit, sweep } = sweptWorkflow();
    const early = await submit();
    const old = await submit();
    await project(early);
    await project(old);
    await workflow.drain(); // both complete; their documents still say Created
    workflow.advanceClock(pastStall);
    const fresh = await submit();
    await project(fresh);
    await workflow.drain();
    const report = await sweep();
    // `early` and `old` are found as stalled (their documents say Created, long ago), `fresh` as recently changed.
    expect(report.nudged).toEqual([]);
    expect(report.repaired.map((repair) => [repair.commandId, repair.fromVersion, repair.toVersion, repair.status]).sort()).toEqual(
      [
        [early, 3, 5, 'Completed'],
        [old, 3, 5, 'Completed'],
        [fresh, 3, 5, 'Completed'],
      ].sort(),
    );
    for (const commandId of [early, old, fresh]) {
      const stream = workflowEventCodec.decodeAll((await workflow.eventStore.readStream(commandStreamId(commandId))).events);
      expect((await listStore.get(commandId))?.item).toEqual(commandListItemFromStream(stream));
    }
    expect((await sweep()).repaired).toEqual([]);
  });
});

describe('listStalledCommands', () => {
  it('lists nothing while commands move', async () => {
    const { deps, submit, project } = sweptWorkflow();
    await project(await submit());
    await expect(listStalledCommands(deps, settings, 10)).resolves.toEqual([]);
  });
});
