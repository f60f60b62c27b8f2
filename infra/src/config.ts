import type * as pulumi from '@pulumi/pulumi';
import { defaultQueueSettings } from '@commandflow/topology';

export const cosmosModes = ['serverless', 'provisioned'] as const;
export type CosmosMode = (typeof cosmosModes)[number];

/** Basic is not offered: it has no duplicate detection, which the workflow relies on. */
export const serviceBusSkus = ['Standard', 'Premium'] as const;
export type ServiceBusSku = (typeof serviceBusSkus)[number];

/** Everything a stack may change (`pulumi config set <key> <value>`), validated and defaulted. */
export interface StackConfig {
  /** Azure region of every resource; must offer Flex Consumption (`az functionapp list-flexconsumption-locations`). Required. */
  readonly location: string;
  /** Start of every resource name: 2–12 lowercase letters or digits, starting with a letter. Default `cmdflow`. */
  readonly namePrefix: string;
  /** Cosmos DB capacity mode. Default `serverless`. */
  readonly cosmosMode: CosmosMode;
  /** `provisioned` mode only: autoscale maximum RU/s shared by the database's containers. Default 1000. */
  readonly cosmosMaxThroughput: number;
  /** Service Bus namespace tier. Default `Standard`. */
  readonly serviceBusSku: ServiceBusSku;
  /** Flex Consumption maximum instance count of each app, 1–1000. Default 100. */
  readonly maximumInstances: number;
  /** Deliveries before a message is dead-lettered, on every queue and in the apps' settings. Default from topology (10). */
  readonly maxDeliveryCount: number;
  /** Peek-lock duration of every queue, ISO-8601 (Service Bus allows up to PT5M). Default from topology (PT1M). */
  readonly lockDuration: string;
}

/** Reads the stack's config; throws a Pulumi config error naming the key on an invalid value. */
export function readStackConfig(config: pulumi.Config): StackConfig {
  return {
    location: config.require('location'),
    namePrefix: config.get('namePrefix', { pattern: /^[a-z][a-z0-9]{1,11}$/ }) ?? 'cmdflow',
    cosmosMode: config.get('cosmosMode', { allowedValues: [...cosmosModes] }) ?? 'serverless',
    cosmosMaxThroughput: config.getNumber('cosmosMaxThroughput', { min: 1000 }) ?? 1000,
    serviceBusSku: config.get('serviceBusSku', { allowedValues: [...serviceBusSkus] }) ?? 'Standard',
    maximumInstances: config.getNumber('maximumInstances', { min: 1, max: 1000 }) ?? 100,
    maxDeliveryCount:
      config.getNumber('maxDeliveryCount', { min: 1, max: 2000 }) ?? defaultQueueSettings.maxDeliveryCount,
    lockDuration:
      config.get('lockDuration', { pattern: /^PT(?=\d)(\d+M)?(\d+S)?$/ }) ?? defaultQueueSettings.lockDuration,
  };
}

/** Where a module creates its resources: names start with the prefix; the location is the resource group's. */
export interface Placement {
  readonly namePrefix: string;
  readonly resourceGroupName: pulumi.Input<string>;
}
