import { ValidationError } from '@commandflow/events';
import type { CommandflowDatabase } from './commandflowDatabase';
import type { FeedCheckpoints } from './feedConsumer';
import { TransactionPerWrite, type WriteScheduler } from './groupCommit';

/** Feed checkpoints in the shared database file, one row per consumer name; durable once saved. */
export class SqliteFeedCheckpoints implements FeedCheckpoints {
  private readonly select;
  private readonly save: (consumerName: string, position: number) => void;
  private readonly writes: WriteScheduler;

  /** `writes`: how saves commit; default each in its own transaction. */
  constructor(db: CommandflowDatabase, { writes }: { readonly writes?: WriteScheduler } = {}) {
    this.writes = writes ?? new TransactionPerWrite(db);
    this.select = db.prepare<[string], number>('SELECT position FROM feed_checkpoints WHERE consumer = ?').pluck();
    const upsert = db.prepare<[string, number]>(
      'INSERT INTO feed_checkpoints (consumer, position) VALUES (?, ?) ON CONFLICT (consumer) DO UPDATE SET position = excluded.position',
    );
    this.save = (consumerName: string, position: number) => {
      upsert.run(consumerName, position);
    };
  }

  async checkpoint(consumerName: string): Promise<number> {
    assertConsumerName(consumerName);
    return this.select.get(consumerName) ?? 0;
  }

  async saveCheckpoint(consumerName: string, position: number): Promise<void> {
    assertConsumerName(consumerName);
    if (!Number.isInteger(position) || position < 0) {
      throw new ValidationError('invalid_feed_position', `Invalid feed position ${position} for consumer ${consumerName}`, {
        consumerName,
        position,
      });
    }
    await this.writes.write(() => this.save(consumerName, position));
  }
}

function assertConsumerName(consumerName: string): void {
  if (typeof consumerName !== 'string' || consumerName.length === 0) {
    throw new ValidationError('invalid_consumer_name', 'A feed consumer needs a non-empty name');
  }
}
