import { InMemoryCosmosMeter, jsonBytes, meteredRequest } from './cosmosMeter';

describe('InMemoryCosmosMeter', () => {
  it('sums count, request charge and bytes per kind, with zeros for kinds not seen', () => {
    const meter = new InMemoryCosmosMeter();
    meter.record({ kind: 'create', requestCharge: 6.29, bytes: 400, streamId: 's-1', container: 'events' });
    meter.record({ kind: 'create', requestCharge: 6.29, bytes: 600, streamId: 's-2', container: 'events' });
    meter.record({ kind: 'query', requestCharge: 2.8, bytes: 1000, streamId: 's-1', container: 'events' });

    expect(meter.counts()).toEqual({ create: 2, query: 1 });
    expect(meter.totals()).toEqual({
      pointRead: { count: 0, requestCharge: 0, bytes: 0 },
      query: { count: 1, requestCharge: 2.8, bytes: 1000 },
      create: { count: 2, requestCharge: 12.58, bytes: 1000 },
      batch: { count: 0, requestCharge: 0, bytes: 0 },
      replace: { count: 0, requestCharge: 0, bytes: 0 },
    });
  });
});

describe('meteredRequest', () => {
  const operation = { kind: 'pointRead', container: 'views' } as const;

  it("reports a response's request charge and the bytes it returned", async () => {
    const meter = new InMemoryCosmosMeter();
    const response = { requestCharge: 1, resource: { id: 'ü' } };
    await expect(meteredRequest(meter, operation, (r) => jsonBytes(r?.resource), async () => response)).resolves.toBe(response);
    expect(meter.totals().pointRead).toEqual({ count: 1, requestCharge: 1, bytes: Buffer.byteLength('{"id":"ü"}') });
  });

  it("reports a failed request with the charge in the SDK error's headers, and rethrows it", async () => {
    const meter = new InMemoryCosmosMeter();
    const error = Object.assign(new Error('Conflict'), { code: 409, headers: { 'x-ms-request-charge': '1.24' } });
    await expect(
      meteredRequest(meter, { kind: 'create', container: 'events', streamId: 's-1' }, () => 321, () => Promise.reject(error)),
    ).rejects.toBe(error);
    expect(meter.totals().create).toEqual({ count: 1, requestCharge: 1.24, bytes: 321 });
  });

  it('runs without a meter', async () => {
    await expect(meteredRequest(undefined, operation, () => 0, async () => 'ok')).resolves.toBe('ok');
  });
});
