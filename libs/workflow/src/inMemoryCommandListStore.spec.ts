import type { CommandListItem, CommandStatus } from '@commandflow/projections';
import { InMemoryCommandListStore } from './inMemoryCommandListStore';

const item = (id: string, status: CommandStatus, commandType: string): CommandListItem =>
  ({ id, commandId: id, status, commandType, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', version: 1 }) as CommandListItem;

describe('InMemoryCommandListStore', () => {
  it('counts the commands of each status, of all types or of one, every status present', async () => {
    const store = new InMemoryCommandListStore();
    const none = { Created: 0, Invalid: 0, Validated: 0, Completed: 0, Failed: 0 };
    await expect(store.countByStatus()).resolves.toEqual(none);
    await store.save(item('a', 'Completed', 'create-league'), undefined);
    await store.save(item('b', 'Invalid', 'create-league'), undefined);
    await store.save(item('c', 'Completed', 'invite-league-member'), undefined);
    await expect(store.countByStatus()).resolves.toEqual({ ...none, Completed: 2, Invalid: 1 });
    await expect(store.countByStatus({ commandType: 'create-league' })).resolves.toEqual({ ...none, Completed: 1, Invalid: 1 });
  });
});
