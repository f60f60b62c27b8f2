import { applyToCommandListItem, commandListItemFromStream, type CommandListItem } from './commandListItem';
import { stream } from '../testing';

const events = stream(
  { type: 'CommandCreated', data: { commandType: 'create-league', actor: 'ada', source: 'http' } },
  { type: 'ParameterSet', data: { name: 'leagueName', value: 'Leeds Lions' } },
  { type: 'ValidationSucceeded', data: { warnings: 0 } },
  { type: 'CommandCompleted', data: { result: 'ok' } },
);

const applyAll = (item: CommandListItem | undefined, upTo: number) => {
  for (const event of events.slice(0, upTo)) {
    const update = applyToCommandListItem(item, event);
    if (update.outcome !== 'applied') throw new Error(update.outcome);
    item = update.item;
  }
  return item;
};

describe('the command-list read model', () => {
  it('given events in order, keeps one document per command at the latest version', () => {
    expect(applyAll(undefined, 4)).toMatchObject({
      id: 'c1',
      commandId: 'c1',
      status: 'Completed',
      version: 4,
      parameters: { leagueName: 'Leeds Lions' },
      updatedAt: events[3]!.metadata.occurredAt,
    });
  });

  it('treats a redelivered or older event as a duplicate: nothing to write', () => {
    const item = applyAll(undefined, 3);
    expect(applyToCommandListItem(item, events[2]!)).toEqual({ outcome: 'duplicate' });
    expect(applyToCommandListItem(item, events[0]!)).toEqual({ outcome: 'duplicate' });
  });

  it('reports a gap instead of skipping over missing events', () => {
    expect(applyToCommandListItem(applyAll(undefined, 1), events[3]!)).toEqual({ outcome: 'gap', expectedVersion: 2, actualVersion: 4 });
    expect(applyToCommandListItem(undefined, events[1]!)).toEqual({ outcome: 'gap', expectedVersion: 1, actualVersion: 2 });
  });

  it('rebuilds the same document from the whole stream', () => {
    expect(commandListItemFromStream(events)).toEqual(applyAll(undefined, 4));
    expect(commandListItemFromStream([])).toBeUndefined();
  });
});
