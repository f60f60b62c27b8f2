import { describeQueueContract, contractQueueSettings } from '../testing';
import { InMemoryQueues } from './inMemoryQueues';

describeQueueContract('InMemoryQueues', async () => {
  let now = Date.now();
  return {
    queue: new InMemoryQueues({ ...contractQueueSettings, now: () => now }),
    elapse: async (ms) => {
      now += ms;
    },
  };
});
