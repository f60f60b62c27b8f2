import type { EventGridFunctionDefinition, HttpFunctionDefinition } from '@commandflow/functions';
import { closeAppRuntimes, embeddedStoresOptions, type Environment } from '@commandflow/runtime';
import { openEmbeddedStores, type SqliteQueue } from '@commandflow/sqlite';
import { pageSettingNames } from '@commandflow/topology';
import type { AddressInfo } from 'node:net';
import { bindChangeFeed } from './feedBinding';
import { createHttpServer } from './httpBinding';
import { consoleInvocationLog, type InvocationLog } from './invocationLog';
import type { LocalApp } from './localApps';
import { bindQueue } from './queueBinding';
import { bindTimer } from './timerBinding';

/**
 * Settings the local host gives the apps unless the environment sets them: the page is open to
 * whoever reaches the host (as the API is: the local host checks no keys) and may resubmit dead letters.
 */
export const localHostDefaults: Environment = { [pageSettingNames.access]: 'open', [pageSettingNames.writes]: 'true' };

export interface LocalHostOptions {
  /** The apps this process hosts. */
  readonly apps: readonly LocalApp[];
  readonly env: Environment;
  /** HTTP port; 7071 (the Functions default) unless given. 0 picks a free one. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly hostname?: string;
  readonly log?: InvocationLog;
  /** Called with a queue's name after this process sent to it (at most once per queue and turn): to wake receivers in other processes. */
  readonly onSent?: (queue: string) => void;
}

export interface RunningHost {
  /** `http://host:port` when an app has HTTP functions. */
  readonly url?: string;
  /** Another process sent to `queue`: this host's receivers look now instead of at their next poll. */
  sentElsewhere(queue: string): void;
  stop(): Promise<void>;
}

/**
 * Runs apps' function descriptions on the embedded default: HTTP routes, Event Grid webhook,
 * queue triggers on the SQLite queue, change-feed triggers on the SQLite feed, timers. Nothing
 * in it is specific to one app.
 */
export async function startLocalHost({ apps, env: given, port = 7071, hostname = '127.0.0.1', log = consoleInvocationLog, onSent }: LocalHostOptions): Promise<RunningHost> {
  const env = { ...localHostDefaults, ...given };
  const embedded = openEmbeddedStores(embeddedStoresOptions(env));
  const stoppers: { stop(): Promise<void> }[] = [];
  if (onSent) stoppers.push(relaySends(embedded.queue, onSent));
  const httpBindings: { app: string; http: HttpFunctionDefinition[]; eventGrid: EventGridFunctionDefinition[] }[] = [];
  for (const app of apps) {
    const concurrency = app.hostSettings.extensions?.serviceBus?.maxConcurrentCalls ?? 16;
    const http: HttpFunctionDefinition[] = [];
    const eventGrid: EventGridFunctionDefinition[] = [];
    for (const definition of await app.functions(env)) {
      switch (definition.kind) {
        case 'http':
          http.push(definition);
          break;
        case 'eventGrid':
          eventGrid.push(definition);
          break;
        case 'serviceBusQueue':
          stoppers.push(bindQueue(app.name, definition, embedded.queue, concurrency, log));
          break;
        case 'cosmosDBChangeFeed':
          stoppers.push(bindChangeFeed(app.name, definition, embedded.eventStore, embedded.checkpoints, log));
          break;
        case 'timer':
          stoppers.push(bindTimer(app.name, definition, log));
          break;
        default: {
          const unknownKind: never = definition;
          throw new Error(`Unknown function kind ${JSON.stringify(unknownKind)}`);
        }
      }
    }
    if (http.length > 0 || eventGrid.length > 0) httpBindings.push({ app: app.name, http, eventGrid });
  }
  const server = httpBindings.length > 0 ? createHttpServer(httpBindings, log) : undefined;
  if (server) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, hostname, resolve);
    });
  }
  const address = server?.address() as AddressInfo | undefined;
  return {
    ...(address ? { url: `http://${hostname}:${address.port}` } : {}),
    sentElsewhere: (queue) => embedded.queue.sentElsewhere(queue),
    async stop() {
      const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server?.closeAllConnections(); // keep-alive connections would hold close() open
      await closed;
      await Promise.all(stoppers.map((s) => s.stop()));
      await closeAppRuntimes();
      embedded.close();
    },
  };
}

/** Passes this process's sends on at once, once per queue and turn of the event loop however many there were. */
function relaySends(queue: SqliteQueue, onSent: (queue: string) => void): { stop(): Promise<void> } {
  const sentTo = new Set<string>();
  const stopListening = queue.onSent((name, elsewhere) => {
    if (elsewhere || sentTo.has(name)) return;
    if (sentTo.size === 0) setImmediate(() => sentTo.clear());
    sentTo.add(name);
    onSent(name);
  });
  return { stop: async () => void stopListening() };
}
