import { ServiceBusClient } from '@azure/service-bus';
import { contractQueueSettings, describeQueueContract } from '@commandflow/messaging/testing';
import { ServiceBusQueue } from '@commandflow/service-bus';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServiceBusTestPeer } from './serviceBusTestPeer';

describeQueueContract('ServiceBusQueue (the real SDK against the test peer)', async () => {
  const peer = await startServiceBusTestPeer(contractQueueSettings);
  const client = new ServiceBusClient(peer.connectionString);
  const queue = new ServiceBusQueue(client, { receiveWaitMs: 300 });
  return {
    queue,
    elapse: (ms) => sleep(ms),
    dispose: async () => {
      await queue.close();
      await client.close();
      await peer.close();
    },
  };
});
