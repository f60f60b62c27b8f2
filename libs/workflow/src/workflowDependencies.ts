import type { EventStore } from '@commandflow/event-store';
import type { MessageSender } from '@commandflow/messaging';
import type { CommandCatalogue } from './commandDefinition';

/** What the workflow's steps run on; time and ids are injected. */
export interface WorkflowDependencies {
  readonly eventStore: EventStore;
  readonly sender: MessageSender;
  readonly catalogue: CommandCatalogue;
  readonly now: () => Date;
  readonly newId: () => string;
  /** How often a step re-reads and decides again after losing an append race. Default 5. */
  readonly maxConcurrencyRetries?: number;
}
