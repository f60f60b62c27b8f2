/** The queues that chain the three apps. Message bodies carry only `{ commandId }`. */
export const queueNames = {
  /** Read by the validator; written by intake's log step. */
  validate: 'validate',
  /** Read by the executor; written by the validator once a command is Validated. */
  execute: 'execute',
  /** Event Grid delivers incoming commands here (no webhook handshake at deploy time); intake consumes it. */
  incoming: 'incoming',
} as const;

export type QueueName = (typeof queueNames)[keyof typeof queueNames];

/** Service Bus semantics every queue is provisioned with, on Azure and in the local host. */
export interface QueueSettings {
  readonly name: QueueName;
  /** Deliveries before a message is dead-lettered. Default 10 (the Service Bus default). */
  readonly maxDeliveryCount: number;
  /** How long a peek-lock holds a message, ISO-8601 duration. Default PT1M. */
  readonly lockDuration: string;
  /** Window in which a repeated messageId is dropped, ISO-8601 duration. Default PT10M. */
  readonly duplicateDetectionWindow: string;
  /** Expired messages go to the dead-letter subqueue instead of being dropped. */
  readonly deadLetteringOnMessageExpiration: boolean;
}

export const defaultQueueSettings = {
  maxDeliveryCount: 10,
  lockDuration: 'PT1M',
  duplicateDetectionWindow: 'PT10M',
  deadLetteringOnMessageExpiration: true,
} as const satisfies Omit<QueueSettings, 'name'>;

/** Every queue with its settings; `overrides` changes the stack-wide numbers (e.g. from config). */
export function queueTopology(
  overrides: Partial<Omit<QueueSettings, 'name'>> = {},
): readonly QueueSettings[] {
  return Object.values(queueNames).map((name) => ({ ...defaultQueueSettings, ...overrides, name }));
}

/** Deterministic message id of the message that triggers `queue` for a command. */
export function stepMessageId(commandId: string, queue: QueueName): string {
  return `${commandId}:${queue}`;
}
