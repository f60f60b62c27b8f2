import { DeadLetterRequest, type OutgoingMessage } from '@commandflow/messaging';
import { queueNames, stepMessageId } from '@commandflow/topology';
import { deliveryVerdict, type DeliveryPolicy, type DeliveryVerdict } from './deliveryPolicy';
import { executeStep } from './executeCommand';
import type { Step, StepFailure } from './step';
import { commandIdOf } from './stepMessage';
import { giveUpOnCommand, runStep, type StepOutcome, type StepTrace } from './stepRunner';
import { validateStep } from './validateCommand';
import type { WorkflowDependencies } from './workflowDependencies';

/** The queues whose messages trigger a step, and their steps. */
const stepsByQueue: Readonly<Record<'validate' | 'execute', Step<void, unknown>>> = {
  [queueNames.validate]: validateStep as Step<void, unknown>,
  [queueNames.execute]: executeStep as Step<void, unknown>,
};
export type StepQueue = keyof typeof stepsByQueue;

/** A queue message as its trigger hands it over. */
export interface QueueDelivery {
  readonly messageId: string;
  readonly body: unknown;
  /** 1 on the first delivery of this message. */
  readonly deliveryCount: number;
  readonly subject?: string;
  readonly correlationId?: string;
  /** Application properties; `attempt` says which attempt a scheduled retry starts at. */
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly traceparent?: string;
}

/** What one delivery did. */
export interface DeliveryReport<Outcome = StepOutcome> {
  /** The attempt this delivery was: the retry's `attempt` property (1 for the first message) plus redeliveries. */
  readonly attempt: number;
  readonly verdict: DeliveryVerdict;
  /** What the function did (or, on giving up, what the last-attempt rule did). */
  readonly outcome?: Outcome;
  /** The retry scheduled for later. */
  readonly retry?: Readonly<{ messageId: string; scheduledFor: Date }>;
}

/** The property of a retry message that says which attempt it is. */
export const attemptProperty = 'attempt';

/**
 * Runs a queue function under the delivery policy: the one way every host's queue triggers end a
 * delivery. On failure a retry is a copy of the message scheduled after the back-off (this one is
 * then completed); giving up runs `giveUp` (the step's last-attempt rule), or dead-letters when
 * there is none; a poison message throws a DeadLetterRequest, which the host turns into a dead
 * letter with the reason. Any other throw (the retry or the terminal event could not be written)
 * is the host's to redeliver.
 */
export async function deliverQueueMessage<Outcome>(
  deps: Pick<WorkflowDependencies, 'sender' | 'now'>,
  policy: DeliveryPolicy,
  queue: string,
  delivery: QueueDelivery,
  run: () => Promise<Outcome>,
  giveUp?: (failure: StepFailure) => Promise<Outcome>,
): Promise<DeliveryReport<Outcome>> {
  const attempt = attemptOf(delivery);
  try {
    return { attempt, verdict: { action: 'complete' }, outcome: await run() };
  } catch (error) {
    const verdict = deliveryVerdict({ ok: false, error }, attempt, policy);
    switch (verdict.action) {
      case 'retry': {
        const retry = retryMessage(delivery, attempt + 1, new Date(deps.now().getTime() + verdict.delayMs));
        await deps.sender.send(queue, retry);
        return { attempt, verdict, retry: { messageId: retry.messageId, scheduledFor: retry.scheduledEnqueueTime as Date } };
      }
      case 'give-up':
        if (!giveUp) throw new DeadLetterRequest(verdict.code, verdict.message);
        return { attempt, verdict, outcome: await giveUp({ code: verdict.code, message: verdict.message, attempts: attempt }) };
      case 'dead-letter':
        throw new DeadLetterRequest(verdict.reason, verdict.description);
      case 'complete':
        return { attempt, verdict };
      default: {
        const unknownVerdict: never = verdict;
        throw new Error(`Unknown verdict ${JSON.stringify(unknownVerdict)}`);
      }
    }
  }
}

/** Delivers a step message (`validate` or `execute`) to its step, under the delivery policy. */
export function deliverStepMessage(deps: WorkflowDependencies, policy: DeliveryPolicy, queue: StepQueue, delivery: QueueDelivery): Promise<DeliveryReport> {
  const step = stepsByQueue[queue];
  let trace: StepTrace | undefined;
  const commandId = () => {
    const id = commandIdOf(delivery.body);
    trace = { causationId: stepMessageId(id, queue), ...(delivery.traceparent ? { traceparent: delivery.traceparent } : {}) };
    return id;
  };
  return deliverQueueMessage(
    deps,
    policy,
    queue,
    delivery,
    async () => runStep(deps, step, commandId(), undefined, trace as StepTrace),
    async (failure) => giveUpOnCommand(deps, step, commandId(), failure, trace as StepTrace),
  );
}

/** The attempt a delivery is: where its message started (the `attempt` property, else 1) plus its redeliveries. */
export function attemptOf({ deliveryCount, properties }: QueueDelivery): number {
  const first = Number(properties?.[attemptProperty] ?? 1);
  const redeliveries = Number.isInteger(deliveryCount) && deliveryCount > 1 ? deliveryCount - 1 : 0;
  return (Number.isInteger(first) && first > 0 ? first : 1) + redeliveries;
}

/** A scheduled copy of a message for `attempt`, under its own deterministic id (duplicate detection would drop the original's). */
function retryMessage(delivery: QueueDelivery, attempt: number, scheduledEnqueueTime: Date): OutgoingMessage {
  const properties = Object.fromEntries(
    Object.entries(delivery.properties ?? {}).filter((entry): entry is [string, string | number | boolean] => ['string', 'number', 'boolean'].includes(typeof entry[1])),
  );
  const body = typeof delivery.body === 'object' && delivery.body !== null ? (delivery.body as Record<string, unknown>) : { body: delivery.body };
  return {
    messageId: `${delivery.messageId.replace(/:attempt-\d+$/, '')}:attempt-${attempt}`,
    body,
    ...(delivery.subject === undefined ? {} : { subject: delivery.subject }),
    ...(delivery.correlationId === undefined ? {} : { correlationId: delivery.correlationId }),
    properties: { ...properties, [attemptProperty]: attempt },
    scheduledEnqueueTime,
  };
}
