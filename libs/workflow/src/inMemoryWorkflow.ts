import { commandStreamId, workflowEventCodec, type WorkflowEvent } from '@commandflow/events';
import { InMemoryEventStore, type EventStore } from '@commandflow/event-store';
import { InMemoryQueues, runQueueFunction, type ReceivedMessage } from '@commandflow/messaging';
import { commandState, type CommandState } from '@commandflow/projections';
import { queueNames } from '@commandflow/topology';
import type { CommandCatalogue } from './commandDefinition';
import { defaultDeliveryPolicy, type DeliveryPolicy } from './deliveryPolicy';
import { logCommand, type CommandRequest, type LogOutcome } from './logCommand';
import { deliverStepMessage, type DeliveryReport, type QueueDelivery, type StepQueue } from './stepDelivery';
import type { WorkflowDependencies } from './workflowDependencies';

/** A received message as a queue trigger hands it to its step. */
export const queueDeliveryOf = ({ messageId, body, deliveryCount, subject, correlationId, properties }: ReceivedMessage): QueueDelivery => ({
  messageId,
  body,
  deliveryCount,
  ...(subject === undefined ? {} : { subject }),
  ...(correlationId === undefined ? {} : { correlationId }),
  properties,
  ...(typeof properties['traceparent'] === 'string' ? { traceparent: properties['traceparent'] } : {}),
});

/**
 * The whole workflow in one process: the three steps wired through an event store (in memory
 * unless given) and in-memory queues, on a virtual clock (1 s per reading, and it jumps to the next
 * scheduled message when nothing else is due) with sequential ids. Deliveries go through the same
 * delivery policy as on every host. For tests and experiments; nothing survives the process.
 */
export class InMemoryWorkflow {
  readonly eventStore: EventStore;
  readonly queues: InMemoryQueues;
  readonly deps: WorkflowDependencies;
  readonly policy: DeliveryPolicy;
  /** Every delivery's report, in order. */
  readonly deliveries: DeliveryReport[] = [];
  private clock: number;
  private idCounter = 0;

  constructor(
    catalogue: CommandCatalogue,
    options: {
      readonly startAt?: string;
      /** The delivery policy; `maxAttempts` is also the queues' maxDeliveryCount. Default `defaultDeliveryPolicy`. */
      readonly policy?: Partial<DeliveryPolicy>;
      /** Another event store to run on (an adapter under test). Default: in memory. */
      readonly eventStore?: EventStore;
    } = {},
  ) {
    this.eventStore = options.eventStore ?? new InMemoryEventStore();
    this.clock = Date.parse(options.startAt ?? '2026-01-01T00:00:00.000Z');
    this.policy = { ...defaultDeliveryPolicy, ...options.policy };
    this.queues = new InMemoryQueues({ maxDeliveryCount: this.policy.maxAttempts, now: () => this.clock });
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
   * Delivers queued messages to their steps, as a queue trigger does, until no message is left:
   * when only scheduled ones remain, the clock moves on to the next.
   */
  async drain(): Promise<void> {
    for (;;) {
      const message = (await this.queues.receive(queueNames.validate))[0] ?? (await this.queues.receive(queueNames.execute))[0];
      if (message) {
        await this.deliver(message);
        continue;
      }
      const next = this.queues.nextDueAt();
      if (next === undefined) return;
      this.clock = Math.max(this.clock, next);
    }
  }

  /** Moves the virtual clock on by `ms` (messages scheduled before then become due). */
  advanceClock(ms: number): void {
    this.clock += ms;
  }

  async events(commandId: string): Promise<WorkflowEvent[]> {
    return workflowEventCodec.decodeAll((await this.eventStore.readStream(commandStreamId(commandId))).events);
  }

  async state(commandId: string): Promise<CommandState> {
    return commandState(await this.events(commandId));
  }

  private async deliver(message: ReceivedMessage): Promise<void> {
    await runQueueFunction(this.queues, message, async () => {
      this.deliveries.push(await deliverStepMessage(this.deps, this.policy, message.queue as StepQueue, queueDeliveryOf(message)));
    });
  }
}
