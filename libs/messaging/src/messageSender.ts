/** A message to a queue. Bodies carry ids only; everything else is read from the stream. */
export interface OutgoingMessage {
  /** Deterministic (e.g. `<commandId>:validate`) so that the queue's duplicate detection drops repeats. */
  readonly messageId: string;
  readonly body: Readonly<Record<string, unknown>>;
  /** Service Bus `subject`: the command type, for filtering and tracing. */
  readonly subject?: string;
  readonly correlationId?: string;
  /** Service Bus application properties. */
  readonly properties?: Readonly<Record<string, string | number | boolean>>;
  /** Deliver no earlier than this instant (scheduled message). */
  readonly scheduledEnqueueTime?: Date;
}

/** The outgoing side of a queue: Service Bus on Azure, the SQLite queue locally, memory in tests. */
export interface MessageSender {
  /** Resolves once the queue has durably accepted the message. Throws if it has not. */
  send(queue: string, message: OutgoingMessage): Promise<void>;
}
