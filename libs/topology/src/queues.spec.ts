import { defaultQueueSettings, queueTopology, stepMessageId } from './queues';
import { containers, eventsContainer } from './containers';

describe('queue topology', () => {
  it('provisions every queue with the Service Bus defaults, and lets a stack override the numbers', () => {
    expect(queueTopology().map((q) => q.name)).toEqual(['validate', 'execute', 'incoming']);
    expect(queueTopology()[0]).toEqual({ ...defaultQueueSettings, name: 'validate' });
    expect(queueTopology({ maxDeliveryCount: 5 }).every((q) => q.maxDeliveryCount === 5 && q.lockDuration === 'PT1M')).toBe(true);
  });

  it('gives each step message a deterministic id, so duplicate detection drops repeats', () => {
    expect(stepMessageId('c-1', 'validate')).toBe('c-1:validate');
    expect(stepMessageId('c-1', 'execute')).toBe(stepMessageId('c-1', 'execute'));
  });
});

describe('container definitions', () => {
  it('partition events by stream and keep /data/* out of the index', () => {
    expect(eventsContainer.partitionKeyPath).toBe('/streamId');
    expect(eventsContainer.indexingPolicy.excludedPaths).toContainEqual({ path: '/data/*' });
    expect(containers.map((c) => c.name)).toEqual(['events', 'views', 'leases', 'usage']);
  });
});
