import { describeEventStoreContract } from './eventStoreContract';
import { InMemoryEventStore } from './inMemoryEventStore';

describeEventStoreContract('InMemoryEventStore', async (options) => ({ store: new InMemoryEventStore(options) }));
