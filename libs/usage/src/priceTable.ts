import { ValidationError } from '@commandflow/events';
import { z } from 'zod';
import defaultPrices from './priceTable.json';
import type { RequestUnitTable } from './requestUnitEstimate';

const figure = z.object({ value: z.number().nonnegative().finite(), source: z.string().url(), note: z.string().max(2000).optional() });
const ascending = (values: readonly number[]) => values.every((value, index) => index === 0 || value > (values[index - 1] as number));
const charges = z.array(z.number().positive().finite()).min(1).max(64);

const priceTableSchema = z
  .object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2026-12-01'),
    currency: z.literal('USD'),
    region: z.string().max(200),
    prices: z.object({
      cosmosDbServerlessUsdPerMillionRequestUnits: figure,
      serviceBusStandardUsdPerMillionOperations: figure,
      serviceBusStandardBaseUsdPerHour: figure,
      flexConsumptionUsdPerMillionExecutions: figure,
      flexConsumptionUsdPerGigabyteSecond: figure,
      storageQueueUsdPer10kOperations: figure,
      storageTableUsdPer10kTransactions: figure,
      storageBlobUsdPer10kWriteOperations: figure,
      storageBlobUsdPer10kOtherOperations: figure,
    }),
    assumptions: z.object({ flexConsumptionInstanceMemoryMegabytes: figure, serviceBusOperationsPerMessageReceived: figure }),
    cosmosDbRequestUnits: z
      .object({ source: z.string().url(), note: z.string().max(2000).optional(), kilobytes: charges, read: charges, write: charges })
      .refine(({ kilobytes, read, write }) => ascending(kilobytes) && read.length === kilobytes.length && write.length === kilobytes.length, {
        message: 'kilobytes must ascend, with one read and one write charge for each',
      }),
  })
  .strict();

/** A dated table of Azure list prices, each figure with its source, and the request-unit charges estimates use. */
export type PriceTable = z.infer<typeof priceTableSchema>;

/** The largest price table file accepted, in bytes. */
export const maxPriceTableBytes = 64 * 1024;

/** Parses and checks a price table (JSON text); a clear error names what is wrong. */
export function parsePriceTable(text: string, origin = 'price table'): PriceTable {
  if (Buffer.byteLength(text) > maxPriceTableBytes) {
    throw new ValidationError('invalid_price_table', `${origin} is over ${maxPriceTableBytes} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ValidationError('invalid_price_table', `${origin} is not JSON: ${(error as Error).message}`);
  }
  const parsed = priceTableSchema.safeParse(json);
  if (!parsed.success) throw new ValidationError('invalid_price_table', `${origin} is not a price table: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The price table this release ships (see its `date` and each figure's `source`). */
export const defaultPriceTable: PriceTable = priceTableSchema.parse(defaultPrices);

/** The request-unit charges of a price table, for `estimateRequestUnits`. */
export const requestUnitTableOf = ({ cosmosDbRequestUnits: { kilobytes, read, write } }: PriceTable): RequestUnitTable => ({ kilobytes, read, write });
