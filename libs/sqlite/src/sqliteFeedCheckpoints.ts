import { ValidationError } from '@commandflow/events';
import type { CommandflowDatabase } from './commandflowDatabase';
import type { FeedCheckpoints } from './feedConsumer';

/** Feed checkpoints in the shared database file, one row per consumer name; durable once saved. */
export class SqliteFeedCheckpoints implements FeedCheckpoints {
  private readonly select;
  private readonly save: (consumerName: string, position: number) => void;

  constructor(db: CommandflowDatabase) {
    this.select = db.prepare<[string], number>('SELECT position FROM feed_checkpoints WHERE consumer = ?').pluck();
    const upsert = db.prepare<[string, number]>(
      'INSERT INTO feed_checkpoints (consumer, position) VALUES (?, ?) ON CONFLICT (consumer) DO UPDATE SET position = excluded.position',
    );
    this.save = db.transaction((consumerName: string, position: number) => {
      upsert.run(consumerName, position);
    }).immediate;
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
    this.save(consumerName, position);
  }
}

function assertConsumerName(consumerName: string): void {
  if (typeof consumerName !== 'string' || consumerName.length === 0) {
    throw new ValidationError('invalid_consumer_name', 'A feed consumer needs a non-empty name');
  }
}
