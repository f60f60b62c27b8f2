import { commandStreamId, isRetryable, workflowEventCodec, type WorkflowEvent } from '@commandflow/events';
import { InMemoryEventStore, type EventStore } from '@commandflow/event-store';
import { InMemoryQueues, type QueuedMessage } from '@commandflow/messaging';
import { commandState, type CommandState } from '@commandflow/projections';
import { queueNames } from '@commandflow/topology';
import type { CommandCatalogue } from './commandDefinition';
import { logCommand, type CommandRequest, type LogOutcome } from './logCommand';
import { performCommand } from './performCommand';
import type { StepOutcome, WorkflowDependencies } from './stepRunner';
import { validateCommand } from './validateCommand';

export interface DeadLetter {
  readonly message: QueuedMessage;
  readonly reason: string;
}

/**
 * The whole workflow in one process: the three steps wired through an event store (in memory
 * unless given) and in-memory queues, with a ticking clock (1 s per reading) and sequential ids. For tests and
 * experiments; nothing survives the process.
 */
export class InMemoryWorkflow {
  readonly eventStore: EventStore;
  readonly queues = new InMemoryQueues();
  readonly deadLetters: DeadLetter[] = [];
  readonly deps: WorkflowDependencies;
  private clock: number;
  private idCounter = 0;

  constructor(
    catalogue: CommandCatalogue,
    private readonly options: {
      readonly startAt?: string;
      readonly maxDeliveryCount?: number;
      /** Another event store to run on (an adapter under test). Default: in memory. */
      readonly eventStore?: EventStore;
    } = {},
  ) {
    this.eventStore = options.eventStore ?? new InMemoryEventStore();
    this.clock = Date.parse(options.startAt ?? '2026-01-01T00:00:00.000Z');
    this.deps = {
      eventStore: this.eventStore,
      sender: this.queues,
      catalogue,
      now: () => new Date((this.clock += 1000)),
      newId: () => `00000000-0000-4000-8000-${(++this.idCounter).toString(16).padStart(12, '0')}`,
    };
  }

  submit(request: Partial<CommandRequest> & Pick<CommandRequest, 'commandType' | 'parameters'>): Promise<LogOutcome> {
    return logCommand(this.deps, { actor: 'tester', source: 'cli', ...request });
  }

  /**
   * Delivers queued messages to their steps until every queue is empty. A step that throws a
   * retryable error is redelivered up to maxDeliveryCount (default 10) times, then dead-lettered;
   * a permanent error dead-letters at once, as the Functions host does with a poison message.
   */
  async drain(): Promise<void> {
    const maxDeliveryCount = this.options.maxDeliveryCount ?? 10;
    for (let message = this.nextMessage(); message; message = this.nextMessage()) {
      const commandId = String(message.body['commandId']);
      for (let attempt = 1; ; attempt++) {
        try {
          await this.deliver(message, commandId, attempt, maxDeliveryCount);
          break;
        } catch (error) {
          if (!isRetryable(error) || attempt >= maxDeliveryCount) {
            this.deadLetters.push({ message, reason: error instanceof Error ? error.message : String(error) });
            break;
          }
        }
      }
    }
  }

  async events(commandId: string): Promise<WorkflowEvent[]> {
    return workflowEventCodec.decodeAll((await this.eventStore.readStream(commandStreamId(commandId))).events);
  }

  async state(commandId: string): Promise<CommandState> {
    return commandState(await this.events(commandId));
  }

  private nextMessage(): QueuedMessage | undefined {
    return this.queues.take(queueNames.validate) ?? this.queues.take(queueNames.execute);
  }

  private deliver(message: QueuedMessage, commandId: string, attempt: number, maxAttempts: number): Promise<StepOutcome> {
    return message.queue === queueNames.validate
      ? validateCommand(this.deps, commandId)
      : performCommand(this.deps, commandId, { attempt, maxAttempts });
  }
}
