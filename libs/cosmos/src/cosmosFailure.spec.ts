import { PermanentError, TransientError } from '@commandflow/events';
import { cosmosRequestError, failedBatchOperation, statusCodeOf } from './cosmosFailure';

describe('statusCodeOf', () => {
  it("reads an SDK error's numeric code and nothing else", () => {
    expect(statusCodeOf(Object.assign(new Error('Conflict'), { code: 409 }))).toBe(409);
    expect(statusCodeOf(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBeUndefined();
    expect(statusCodeOf(new Error('Batch request error: Request rate is large'))).toBeUndefined();
    expect(statusCodeOf(undefined)).toBeUndefined();
  });
});

describe('failedBatchOperation', () => {
  it('finds nothing in a batch that succeeded', () => {
    expect(failedBatchOperation([{ statusCode: 201, requestCharge: 6.1 }, { statusCode: 201, requestCharge: 6.1 }])).toBeUndefined();
  });

  it('finds the failing operation of a batch shaped like real Cosmos DB, wherever it is (one 409, the rest 424)', () => {
    const conflict = { statusCode: 409, requestCharge: 1.2 };
    const dependency = { statusCode: 424, requestCharge: 0 };
    expect(failedBatchOperation([conflict, dependency, dependency])).toBe(conflict);
    expect(failedBatchOperation([dependency, conflict, dependency])).toBe(conflict);
  });

  it('falls back to a 424 when no other status explains the failure', () => {
    expect(failedBatchOperation([{ statusCode: 424, requestCharge: 0 }])).toEqual({ statusCode: 424, requestCharge: 0 });
  });
});

describe('cosmosRequestError', () => {
  const sdkError = Object.assign(new Error('Request rate is large.\nActivityId: 1234, diagnostics: {...}'), { code: 429 });

  it.each([408, 410, 429, 449, 503, undefined])('treats status %s as transient', (statusCode) => {
    const error = cosmosRequestError('stream command-1', statusCode, sdkError, { streamId: 'command-1' });
    expect(error).toBeInstanceOf(TransientError);
    expect(error.retryable).toBe(true);
  });

  it.each([400, 401, 403, 404, 413])('treats status %s as permanent', (statusCode) => {
    expect(cosmosRequestError('stream command-1', statusCode, sdkError)).toBeInstanceOf(PermanentError);
  });

  it("names the subject and status, keeps the SDK message's first line and the SDK error as cause", () => {
    const error = cosmosRequestError('stream command-1', 429, sdkError, { streamId: 'command-1' });
    expect(error).toMatchObject({
      code: 'cosmos_request_failed',
      message: 'Cosmos DB request for stream command-1 failed (status 429): Request rate is large.',
      details: { streamId: 'command-1', statusCode: 429 },
      cause: sdkError,
    });
  });
});
