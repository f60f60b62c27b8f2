import { describeCommandListStoreContract } from '../testing';
import { InMemoryCommandListStore } from './inMemoryCommandListStore';

describeCommandListStoreContract('InMemoryCommandListStore', async () => ({ store: new InMemoryCommandListStore() }));
