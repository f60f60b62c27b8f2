import { recordResources, settled, type RecordedResource } from '../testing/recordingMocks';
import { createCosmos } from './cosmos';

describe('createCosmos in provisioned mode', () => {
  let recorded: RecordedResource[];

  beforeAll(async () => {
    recorded = await recordResources({});
    createCosmos({ namePrefix: 'cf', resourceGroupName: 'rg', location: 'westeurope', mode: 'provisioned', maxThroughput: 4000 });
    await settled();
  }, 30_000);

  it('drops the serverless capability and shares autoscale throughput at the database', () => {
    const account = recorded.find((resource) => resource.type === 'azure-native:cosmosdb:DatabaseAccount');
    const database = recorded.find((resource) => resource.type === 'azure-native:cosmosdb:SqlResourceSqlDatabase');
    expect(account?.inputs).toMatchObject({ capabilities: [], disableLocalAuth: true });
    expect(database?.inputs).toMatchObject({ options: { autoscaleSettings: { maxThroughput: 4000 } } });
  });

  it('gives containers no throughput of their own', () => {
    const created = recorded.filter((resource) => resource.type === 'azure-native:cosmosdb:SqlResourceSqlContainer');
    expect(created).toHaveLength(4);
    for (const container of created) expect(container.inputs['options']).toBeUndefined();
  });
});
