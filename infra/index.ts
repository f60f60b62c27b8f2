import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization';
import * as resources from '@pulumi/azure-native/resources';
import { databaseName } from '@commandflow/topology';
import type { AppName, GrantTargets } from './src/appPermissions';
import { readStackConfig } from './src/config';
import { createCosmos } from './src/cosmos';
import { createCommandTopic, createDeadLetterStorage } from './src/eventGrid';
import { CommandflowFunctionApp, type EntraAuthentication } from './src/functionApp';
import { createMonitoring } from './src/monitoring';
import { createServiceBus } from './src/serviceBus';

const config = readStackConfig(new pulumi.Config());
const resourceGroup = new resources.ResourceGroup(`${config.namePrefix}-rg`, { location: config.location });
const placement = { namePrefix: config.namePrefix, resourceGroupName: resourceGroup.name };

const monitoring = createMonitoring(placement);
const deadLetters = createDeadLetterStorage(placement);
const cosmos = createCosmos({
  ...placement,
  location: config.location,
  mode: config.cosmosMode,
  maxThroughput: config.cosmosMaxThroughput,
});
const serviceBus = createServiceBus({
  ...placement,
  sku: config.serviceBusSku,
  queueSettings: { maxDeliveryCount: config.maxDeliveryCount, lockDuration: config.lockDuration },
});

const clientConfig = authorization.getClientConfigOutput();
const grantTargets: GrantTargets = {
  subscriptionId: clientConfig.subscriptionId,
  queueIds: {
    validate: serviceBus.queues.validate.id,
    execute: serviceBus.queues.execute.id,
    incoming: serviceBus.queues.incoming.id,
  },
  deadLetterContainerId: deadLetters.container.id,
  appInsightsId: monitoring.appInsights.id,
  cosmos: {
    resourceGroupName: resourceGroup.name,
    accountName: cosmos.account.name,
    accountId: cosmos.account.id,
  },
};

const functionApp = (app: AppName, authentication?: EntraAuthentication) =>
  new CommandflowFunctionApp(app, {
    ...placement,
    appInsightsConnectionString: monitoring.appInsights.connectionString,
    serviceBusNamespace: serviceBus.fullyQualifiedNamespace,
    cosmosEndpoint: cosmos.account.documentEndpoint,
    maxDeliveryCount: config.maxDeliveryCount,
    maximumInstanceCount: config.maximumInstances,
    grantTargets,
    ...(authentication ? { authentication } : {}),
  });
// Only intake serves HTTP; App Service authentication is what makes its actor trustworthy.
const intake = functionApp('intake', { clientId: config.intakeAuthClientId, tenantId: clientConfig.tenantId });
const validator = functionApp('validator');
const executor = functionApp('executor');

const commandTopic = createCommandTopic({ ...placement, grantTargets, deadLetters });

/** Base URL of intake's HTTP API (function key and Entra ID token required): POST `<url>/commands/{type}`, GET `<url>/commands/{id}`. */
export const intakeUrl = pulumi.interpolate`https://${intake.site.defaultHostName}/api`;
/** Publish incoming commands here with an Entra ID token (role EventGrid Data Sender). */
export const eventGridTopicEndpoint = commandTopic.topic.endpoint;
export const eventGridTopicName = commandTopic.topic.name;
export const resourceGroupName = resourceGroup.name;
export const intakeAppName = intake.site.name;
export const validatorAppName = validator.site.name;
export const executorAppName = executor.site.name;
export const serviceBusNamespaceName = serviceBus.namespace.name;
export const serviceBusFullyQualifiedNamespace = serviceBus.fullyQualifiedNamespace;
export const cosmosAccountName = cosmos.account.name;
export const cosmosEndpoint = cosmos.account.documentEndpoint;
export const cosmosDatabaseName = databaseName;
/** Each app's own host storage account (deployment package, host locks, keys). */
export const hostStorageAccountNames = { intake: intake.hostStorage.name, validator: validator.hostStorage.name, executor: executor.hostStorage.name };
/** Where Event Grid dead-letters incoming commands it could not deliver: account and container. */
export const deadLetterStorageAccountName = deadLetters.account.name;
export const deadLetterContainerName = deadLetters.container.name;
export const appInsightsName = monitoring.appInsights.name;
