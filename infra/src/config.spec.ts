import * as pulumi from '@pulumi/pulumi';
import { defaultQueueSettings } from '@commandflow/topology';
import { readStackConfig } from './config';

function readWith(values: Record<string, string>) {
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(values).map(([key, value]) => [`commandflow:${key}`, value])));
  return readStackConfig(new pulumi.Config('commandflow'));
}

describe('readStackConfig', () => {
  const intakeAuthClientId = '11111111-2222-4333-8444-555555555555';

  it("needs only a location and intake's Entra app registration; everything else has a secure, cheap default", () => {
    expect(readWith({ location: 'swedencentral', intakeAuthClientId })).toEqual({
      location: 'swedencentral',
      namePrefix: 'cmdflow',
      cosmosMode: 'serverless',
      cosmosMaxThroughput: 1000,
      serviceBusSku: 'Standard',
      maximumInstances: 100,
      maxDeliveryCount: defaultQueueSettings.maxDeliveryCount,
      lockDuration: defaultQueueSettings.lockDuration,
      intakeAuthClientId,
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
        intakeAuthClientId,
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
      intakeAuthClientId,
    });
  });

  it('fails without a location', () => {
    expect(() => readWith({ intakeAuthClientId })).toThrow(/location/);
  });

  it("fails without intake's Entra app registration, whose tokens App Service authentication requires", () => {
    expect(() => readWith({ location: 'westeurope' })).toThrow(/intakeAuthClientId/);
  });

  it.each(['PT5S', 'PT5M', 'PT4M59S', 'PT300S', 'PT1M30S'])('accepts lockDuration %s (Service Bus allows PT5S to PT5M)', (lockDuration) => {
    expect(readWith({ location: 'westeurope', intakeAuthClientId, lockDuration }).lockDuration).toBe(lockDuration);
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
    ['lockDuration', 'PT6M'],
    ['lockDuration', 'PT5M1S'],
    ['lockDuration', 'PT301S'],
    ['lockDuration', 'PT4S'],
    ['lockDuration', 'PT1H'],
    ['intakeAuthClientId', 'intake'],
  ])('rejects %s = %s', (key, value) => {
    expect(() => readWith({ location: 'westeurope', intakeAuthClientId, [key]: value })).toThrow(new RegExp(key));
  });
});
