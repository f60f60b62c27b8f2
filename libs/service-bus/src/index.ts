export {
  serviceBusSettingNames,
  serviceBusSettingsFromEnv,
  type ServiceBusConnectionStringConnection,
  type ServiceBusIdentityConnection,
  type ServiceBusSettings,
} from './serviceBusSettings';
export { connectServiceBus, defaultServiceBusRetryOptions, type ServiceBusConnectOptions } from './serviceBusConnection';
export { ServiceBusMessageSender, toServiceBusMessage } from './serviceBusMessageSender';
export { ServiceBusDeadLetters, type ServiceBusDeadLettersOptions } from './serviceBusDeadLetters';
export { ServiceBusQueue, type ServiceBusQueueOptions } from './serviceBusQueue';
