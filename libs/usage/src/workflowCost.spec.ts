import { stepUsage } from '../testing';
import { defaultPriceTable, parsePriceTable } from './priceTable';
import { averageWorkflowCost, commandCost, repriceWorkflowCost } from './workflowCost';

describe('a workflow’s cost', () => {
  const records = [
    stepUsage('c-1', 'log', '2026-12-01T10:00:00.000Z', { messagesReceived: 0, messagesSent: 1, executionMilliseconds: 20, requestUnits: 10 }),
    stepUsage('c-1', 'validate', '2026-12-01T10:00:01.000Z', { messagesSent: 1, executionMilliseconds: 30, requestUnits: 7 }),
    stepUsage('c-1', 'execute', '2026-12-01T10:00:02.000Z', { messagesSent: 0, executionMilliseconds: 50, requestUnits: 13 }),
  ];

  it('adds the steps up and prices 1,000,000 of them with the table', () => {
    const cost = commandCost('c-1', records, defaultPriceTable);
    expect(cost.perWorkflow).toMatchObject({
      executions: 3,
      executionMilliseconds: 100,
      gigabyteSeconds: 0.1 * 2, // 100 ms at 2,048 MB
      requestUnits: 30,
      requestUnitsBasis: 'estimated',
      messagesSent: 2,
      messagesReceived: 2,
      serviceBusOperations: 2 + 2 * 2,
      storageOperations: 0,
    });
    const { prices } = defaultPriceTable;
    expect(cost.usdPerMillionWorkflows.cosmosDbRequestUnits).toBeCloseTo(30 * prices.cosmosDbServerlessUsdPerMillionRequestUnits.value, 12);
    expect(cost.usdPerMillionWorkflows.serviceBusOperations).toBeCloseTo(6 * prices.serviceBusStandardUsdPerMillionOperations.value, 12);
    expect(cost.usdPerMillionWorkflows.functionExecutions).toBeCloseTo(3 * prices.flexConsumptionUsdPerMillionExecutions.value, 12);
    expect(cost.usdPerMillionWorkflows.functionExecutionTime).toBeCloseTo(0.2 * prices.flexConsumptionUsdPerGigabyteSecond.value * 1e6, 9);
    const { total, ...parts } = cost.usdPerMillionWorkflows;
    expect(total).toBeCloseTo(Object.values(parts).reduce((a, b) => a + b, 0), 12);
    expect(cost.priceTable.date).toBe(defaultPriceTable.date);
  });

  it('says whether request units were measured, estimated or both', () => {
    const measured = records.map((record) => ({ ...record, requestUnitsMeasured: true }));
    expect(commandCost('c-1', measured, defaultPriceTable).perWorkflow.requestUnitsBasis).toBe('measured');
    expect(commandCost('c-1', [measured[0]!, records[1]!], defaultPriceTable).perWorkflow.requestUnitsBasis).toBe('mixed');
    expect(commandCost('c-1', [], defaultPriceTable).perWorkflow.requestUnitsBasis).toBe('none');
  });

  it('averages several workflows, figures and price alike', () => {
    const one = commandCost('c-1', records, defaultPriceTable);
    const two = commandCost('c-2', records.slice(0, 2), defaultPriceTable);
    const average = averageWorkflowCost([one, two]);
    expect(average).toMatchObject({ workflows: 2, perWorkflow: { executions: 2.5, requestUnits: (30 + 17) / 2, executionMilliseconds: 75, requestUnitsBasis: 'estimated' } });
    expect(average?.usdPerMillionWorkflows.total).toBeCloseTo((one.usdPerMillionWorkflows.total + two.usdPerMillionWorkflows.total) / 2, 12);
    expect(averageWorkflowCost([])).toBeUndefined();
  });

  it('prices the same counts again with another table', () => {
    const cost = commandCost('c-1', records, defaultPriceTable);
    const other = structuredClone(defaultPriceTable);
    for (const figure of Object.values(other.prices)) figure.value = 0;
    other.assumptions.flexConsumptionInstanceMemoryMegabytes.value = 512;
    const repriced = repriceWorkflowCost(cost, parsePriceTable(JSON.stringify({ ...other, date: '2027-01-01' })));
    expect(repriced).toMatchObject({ perWorkflow: { requestUnits: 30, gigabyteSeconds: 0.1 * 0.5 }, usdPerMillionWorkflows: { total: 0 }, priceTable: { date: '2027-01-01' } });
  });
});
