import { InMemoryQueues } from './inMemoryQueues';

describe('InMemoryQueues', () => {
  it('drops a repeated messageId on the same queue, and keeps queues apart', async () => {
    const queues = new InMemoryQueues();
    await queues.send('validate', { messageId: 'c-1:validate', body: { commandId: 'c-1' } });
    await queues.send('validate', { messageId: 'c-1:validate', body: { commandId: 'c-1' } });
    await queues.send('execute', { messageId: 'c-1:validate', body: { commandId: 'c-1' } });
    expect(queues.pending('validate')).toHaveLength(1);
    expect(queues.accepted.map((m) => m.queue)).toEqual(['validate', 'execute']);
  });

  it('hands messages out oldest first, one at a time', async () => {
    const queues = new InMemoryQueues();
    for (const id of ['a', 'b']) await queues.send('q', { messageId: id, body: {} });
    expect(queues.take('q')?.messageId).toBe('a');
    expect(queues.take('q')?.messageId).toBe('b');
    expect(queues.take('q')).toBeUndefined();
  });
});
