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
  /** Peek-lock duration of every queue, ISO-8601 minutes and seconds, PT5S to PT5M (Service Bus's range). Default from topology (PT1M). */
  readonly lockDuration: string;
  /**
   * Application (client) id of the Entra ID app registration that guards intake's HTTP API
   * (App Service authentication requires a token for it). Required.
   */
  readonly intakeAuthClientId: string;
}

/** Service Bus accepts peek-lock durations from 5 seconds to 5 minutes; anything else fails at `pulumi up`. */
export const lockDurationRange = { minSeconds: 5, maxSeconds: 300 } as const;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
    lockDuration: readLockDuration(config),
    intakeAuthClientId: config.require('intakeAuthClientId', { pattern: uuid }),
  };
}

const lockDurationPattern = /^PT(?=\d)(?:(\d{1,4})M)?(?:(\d{1,6})S)?$/;

/** `lockDuration` as `PT<minutes>M<seconds>S` (either part optional), within `lockDurationRange`. */
function readLockDuration(config: pulumi.Config): string {
  const value = config.get('lockDuration', { pattern: lockDurationPattern });
  if (value === undefined) return defaultQueueSettings.lockDuration;
  const [, minutes = '0', seconds = '0'] = lockDurationPattern.exec(value) ?? [];
  const total = Number(minutes) * 60 + Number(seconds);
  const { minSeconds, maxSeconds } = lockDurationRange;
  if (total < minSeconds || total > maxSeconds) {
    throw new Error(
      `Configuration 'lockDuration' is ${value} (${total} s): Service Bus accepts PT${minSeconds}S to PT${maxSeconds / 60}M`,
    );
  }
  return value;
}

/** Where a module creates its resources: names start with the prefix; the location is the resource group's. */
export interface Placement {
  readonly namePrefix: string;
  readonly resourceGroupName: pulumi.Input<string>;
}
