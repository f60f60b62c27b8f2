import { describeEventStoreContract } from '../testing';
import { InMemoryEventStore } from './inMemoryEventStore';

describeEventStoreContract('InMemoryEventStore', async (options) => ({ store: new InMemoryEventStore(options) }));
