import { describeUsageStoreContract } from '../testing';
import { InMemoryUsageStore } from './inMemoryUsageStore';

describeUsageStoreContract('InMemoryUsageStore', async () => ({ store: new InMemoryUsageStore() }));
