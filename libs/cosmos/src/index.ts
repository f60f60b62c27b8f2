export { CosmosEventStore, maxAppendBytes, maxEventsPerAppend, type CosmosEventStoreOptions } from './cosmosEventStore';
export { eventDocumentId, eventFromDocument, type EventDocument } from './eventDocument';
export { CosmosCommandListStore, type CosmosCommandListStoreOptions } from './cosmosCommandListStore';
export { CosmosUsageStore } from './cosmosUsageStore';
export {
  InMemoryCosmosMeter,
  cosmosOperationKinds,
  type CosmosMeter,
  type CosmosOperation,
  type CosmosOperationKind,
  type CosmosOperationTotals,
} from './cosmosMeter';
export {
  cosmosSettingNames,
  cosmosSettingsFromEnv,
  type CosmosIdentityConnection,
  type CosmosKeyConnection,
  type CosmosSettings,
} from './cosmosSettings';
export { connectCosmos, defaultCosmosRetryOptions, type CosmosConnectOptions, type CosmosConnection } from './cosmosConnection';
export { replayCosmosEvents } from './cosmosEventReplay';
export { ensureCosmosContainers, type CosmosContainers } from './cosmosContainers';
