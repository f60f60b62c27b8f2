import type {
  CosmosDBv4FunctionOptions,
  EventGridFunctionOptions,
  HttpFunctionOptions,
  ServiceBusQueueFunctionOptions,
  TimerFunctionOptions,
  app,
} from '@azure/functions';

/** An HTTP function: methods, route (under `/api`) and auth level are always stated. */
export type HttpFunctionDefinition = Readonly<{
  kind: 'http';
  name: string;
  options: HttpFunctionOptions & Required<Pick<HttpFunctionOptions, 'methods' | 'route' | 'authLevel'>>;
}>;

export type EventGridFunctionDefinition = Readonly<{ kind: 'eventGrid'; name: string; options: EventGridFunctionOptions }>;

/** A Service Bus queue function; `connection` names the app setting prefix (identity-based on Azure). */
export type ServiceBusQueueFunctionDefinition = Readonly<{
  kind: 'serviceBusQueue';
  name: string;
  options: ServiceBusQueueFunctionOptions;
}>;

/** A Cosmos DB change-feed function: the monitored container, and its own lease prefix. */
export type CosmosDBChangeFeedFunctionDefinition = Readonly<{
  kind: 'cosmosDBChangeFeed';
  name: string;
  options: CosmosDBv4FunctionOptions & Required<Pick<CosmosDBv4FunctionOptions, 'leaseContainerName' | 'leaseContainerPrefix'>>;
}>;

/** A timer function; `schedule` is an NCRONTAB expression (seconds first). */
export type TimerFunctionDefinition = Readonly<{ kind: 'timer'; name: string; options: TimerFunctionOptions }>;

/**
 * One function of an app, described once: its main.ts registers the list with Azure Functions,
 * and the local host binds the same list to local transports. Same handlers in both.
 */
export type FunctionDefinition =
  | HttpFunctionDefinition
  | EventGridFunctionDefinition
  | ServiceBusQueueFunctionDefinition
  | CosmosDBChangeFeedFunctionDefinition
  | TimerFunctionDefinition;

/** The part of `@azure/functions`' `app` that registration uses. */
export type FunctionRegistrar = Pick<typeof app, 'http' | 'eventGrid' | 'serviceBusQueue' | 'cosmosDB' | 'timer'>;

/** Registers every definition with the Azure Functions programming model (v4). */
export function registerFunctions(registrar: FunctionRegistrar, definitions: readonly FunctionDefinition[]): void {
  for (const definition of definitions) {
    switch (definition.kind) {
      case 'http':
        registrar.http(definition.name, definition.options);
        break;
      case 'eventGrid':
        registrar.eventGrid(definition.name, definition.options);
        break;
      case 'serviceBusQueue':
        registrar.serviceBusQueue(definition.name, definition.options);
        break;
      case 'cosmosDBChangeFeed':
        registrar.cosmosDB(definition.name, definition.options);
        break;
      case 'timer':
        registrar.timer(definition.name, definition.options);
        break;
      default: {
        const unknownKind: never = definition;
        throw new Error(`Unknown function kind in ${JSON.stringify(unknownKind)}`);
      }
    }
  }
}
