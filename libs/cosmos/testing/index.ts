/** Test tooling of the Cosmos DB adapters: an in-process Cosmos DB test server on 127.0.0.1. Not for production code. */
export { emulatorKey, startCosmosTestServer, type CosmosTestServer } from './cosmosTestServer';
