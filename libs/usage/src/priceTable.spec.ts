import defaultPrices from './priceTable.json';
import { defaultPriceTable, parsePriceTable } from './priceTable';
import { estimateRequestUnits } from './requestUnitEstimate';

describe('the price table', () => {
  it('ships dated, with a source for every figure', () => {
    expect(defaultPriceTable.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const figure of [...Object.values(defaultPriceTable.prices), ...Object.values(defaultPriceTable.assumptions)]) {
      expect(figure.source).toMatch(/^https:\/\/(azure\.microsoft\.com|learn\.microsoft\.com)\//);
    }
  });

  it('parses another table, and names what is wrong with a bad one', () => {
    const cheaper = structuredClone(defaultPrices);
    cheaper.prices.cosmosDbServerlessUsdPerMillionRequestUnits.value = 0.1;
    expect(parsePriceTable(JSON.stringify(cheaper)).prices.cosmosDbServerlessUsdPerMillionRequestUnits.value).toBe(0.1);
    expect(() => parsePriceTable('{', 'prices.json')).toThrow(/prices.json is not JSON/);
    const negative = structuredClone(defaultPrices);
    negative.prices.flexConsumptionUsdPerGigabyteSecond.value = -1;
    expect(() => parsePriceTable(JSON.stringify(negative))).toThrow(expect.objectContaining({ code: 'invalid_price_table', message: expect.stringMatching(/flexConsumptionUsdPerGigabyteSecond/) }));
    const unsorted = structuredClone(defaultPrices);
    unsorted.cosmosDbRequestUnits.kilobytes = [2, 1, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];
    expect(() => parsePriceTable(JSON.stringify(unsorted))).toThrow(/kilobytes must ascend/);
    expect(() => parsePriceTable(' '.repeat(70_000))).toThrow(/over 65536 bytes/);
  });
});

describe('estimateRequestUnits', () => {
  const table = { kilobytes: [1, 2, 4], read: [1, 1.04, 1.14], write: [4.95, 6.29, 6.67] };
  it('charges the published figure of the smallest size that holds the document', () => {
    expect(estimateRequestUnits(table, 'read', 0)).toBe(1);
    expect(estimateRequestUnits(table, 'write', 1024)).toBe(4.95);
    expect(estimateRequestUnits(table, 'write', 1025)).toBe(6.29);
    expect(estimateRequestUnits(table, 'read', 3000)).toBe(1.14);
  });
  it('charges a document past the last size in proportion to the last figure', () => {
    expect(estimateRequestUnits(table, 'write', 8 * 1024)).toBeCloseTo(6.67 * 2, 10);
  });
});
