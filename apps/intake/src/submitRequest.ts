import type { HttpRequest } from '@azure/functions';
import { z } from 'zod';
import { ValidationError, assertBodySize, assertJsonTextDepth, assertParametersWithinLimits, inputLimits, type Json } from '@commandflow/events';

/** A request the API refuses before anything is written, with its HTTP status. */
export class RejectedRequest extends Error {
  constructor(
    readonly status: 400 | 415,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const submitBody = z.strictObject({ parameters: z.record(z.string(), z.json()).default({}) });

/**
 * Reads `{ "parameters": { ... } }` from a submit request: JSON only, within the input limits
 * (size, then nesting depth before parsing, then count, string lengths and keys), nothing else.
 */
export async function readSubmitBody(request: HttpRequest): Promise<Record<string, Json>> {
  const declaredLength = Number(request.headers.get('content-length') ?? 0);
  if (declaredLength > 0) assertBodySize(declaredLength);
  const text = await request.text();
  assertBodySize(Buffer.byteLength(text, 'utf8'));
  if (text.trim() === '') return {};
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/([a-z.+-]*\+)?json\s*(;|$)/i.test(contentType)) {
    throw new RejectedRequest(415, 'unsupported_media_type', `Send the body as application/json (got ${contentType || 'no content type'})`);
  }
  assertJsonTextDepth(text, inputLimits.maxDepth);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RejectedRequest(400, 'malformed_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
  const parameters = (json as { parameters?: unknown } | null)?.parameters;
  if (typeof parameters === 'object' && parameters !== null && !Array.isArray(parameters)) assertParametersWithinLimits(parameters as Record<string, unknown>);
  const parsed = submitBody.safeParse(json);
  if (!parsed.success) {
    throw new RejectedRequest(400, 'invalid_body', `Expected { "parameters": { "<name>": <any JSON> } }: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data.parameters;
}

/**
 * Who is asking. `x-ms-client-principal` (base64 JSON) names the caller only when App Service
 * authentication guards the app (`trustClientPrincipal`): the platform then sets the header and
 * drops any copy a caller sent. Otherwise the header is a claim anyone can make and is ignored: the
 * actor is `function-key` when a key was presented (the Functions host checked it; the worker is
 * not told which key matched), else `anonymous`.
 */
export function actorOf(request: HttpRequest, trustClientPrincipal = false): string {
  const header = trustClientPrincipal ? request.headers.get('x-ms-client-principal') : null;
  if (!header) return request.headers.has('x-functions-key') || request.query.has('code') ? 'function-key' : 'anonymous';
  try {
    const principal = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as { userDetails?: unknown; userId?: unknown };
    const actor = principal.userDetails ?? principal.userId;
    if (typeof actor === 'string' && actor !== '') return actor;
  } catch {
    // fall through to the error below
  }
  throw new ValidationError('invalid_client_principal', 'The x-ms-client-principal header is not a base64 JSON principal with userDetails or userId');
}
