import * as pulumi from '@pulumi/pulumi';
import { defaultQueueSettings } from '@commandflow/topology';
import { readStackConfig } from './config';

function readWith(values: Record<string, string>) {
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(values).map(([key, value]) => [`commandflow:${key}`, value])));
  return readStackConfig(new pulumi.Config('commandflow'));
}

describe('readStackConfig', () => {
  it('needs only a location; everything else has a secure, cheap default', () => {
    expect(readWith({ location: 'swedencentral' })).toEqual({
      location: 'swedencentral',
      namePrefix: 'cmdflow',
      cosmosMode: 'serverless',
      cosmosMaxThroughput: 1000,
      serviceBusSku: 'Standard',
      maximumInstances: 100,
      maxDeliveryCount: defaultQueueSettings.maxDeliveryCount,
      lockDuration: defaultQueueSettings.lockDuration,
    });
  });

  it('reads every key', () => {
    expect(
      readWith({
        location: 'westeurope',
        namePrefix: 'cf2',
        cosmosMode: 'provisioned',
        cosmosMaxThroughput: '4000',
        serviceBusSku: 'Premium',
        maximumInstances: '40',
        maxDeliveryCount: '3',
        lockDuration: 'PT30S',
      }),
    ).toEqual({
      location: 'westeurope',
      namePrefix: 'cf2',
      cosmosMode: 'provisioned',
      cosmosMaxThroughput: 4000,
      serviceBusSku: 'Premium',
      maximumInstances: 40,
      maxDeliveryCount: 3,
      lockDuration: 'PT30S',
    });
  });

  it('fails without a location', () => {
    expect(() => readWith({})).toThrow(/location/);
  });

  it.each([
    ['namePrefix', 'Cmd-Flow'],
    ['namePrefix', 'averyverylongprefix'],
    ['cosmosMode', 'autoscale'],
    ['serviceBusSku', 'Basic'],
    ['maximumInstances', '0'],
    ['maximumInstances', '1001'],
    ['maxDeliveryCount', '0'],
    ['cosmosMaxThroughput', '400'],
    ['lockDuration', 'PT'],
    ['lockDuration', '60'],
  ])('rejects %s = %s', (key, value) => {
    expect(() => readWith({ location: 'westeurope', [key]: value })).toThrow(new RegExp(key));
  });
});
