import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';

/** What came back for one request. */
export interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

export interface RequestSpec {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

/** A deterministic random source (mulberry32): the same seed gives the same requests. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}

export type Random = ReturnType<typeof seededRandom>;

/** An HTTP/1.1 client over keep-alive connections that reports, rather than throws, what Node will not send. */
export function httpClient(port: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const send = (spec: RequestSpec): Promise<Reply | 'not-sent'> =>
    new Promise((resolve, reject) => {
      let request;
      try {
        request = httpRequest({ host: '127.0.0.1', port, agent, method: spec.method, path: spec.path, headers: spec.headers });
      } catch {
        return resolve('not-sent'); // Node's client refuses the path or a header: nothing reached the host
      }
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(spec.body);
    });
  return { send, close: () => agent.destroy() };
}

/** Sends raw bytes on a fresh connection and reads the answer until the host closes it. */
export function sendRaw(port: number, bytes: string | Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
      const headEnd = raw.indexOf('\r\n\r\n');
      const head = headEnd === -1 ? raw : raw.slice(0, headEnd);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const contentType = /^content-type: ?([^\s][^\r\n]*)$/im.exec(head)?.[1] ?? '';
      const body = headEnd === -1 ? '' : raw.slice(headEnd + 4);
      const text = Buffer.from(/^transfer-encoding: *chunked/im.test(head) ? dechunk(body) : body, 'latin1').toString('utf8');
      resolve({ status, contentType, text });
    });
    socket.end(bytes);
  });
}

/** The payload of a chunked body (latin1 in, latin1 out). */
function dechunk(body: string): string {
  let payload = '';
  for (let at = 0; at < body.length; ) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = parseInt(body.slice(at, lineEnd), 16);
    if (!(size > 0)) break;
    payload += body.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
  return payload;
}

/** Why a reply breaks the API's promise (no 5xx; every 4xx the JSON error), or undefined when it keeps it. */
export function brokenPromise(reply: Reply, method = 'GET'): string | undefined {
  if (reply.status === 0) return 'no HTTP answer';
  if (reply.status >= 500) return `a ${reply.status}: ${reply.text.slice(0, 200)}`;
  if (reply.status < 400 || method === 'HEAD') return undefined;
  if (!reply.contentType.startsWith('application/json')) return `a ${reply.status} that is not JSON (${reply.contentType || 'no content type'})`;
  try {
    const body = JSON.parse(reply.text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string') return `a ${reply.status} without the JSON error: ${reply.text.slice(0, 200)}`;
  } catch {
    return `a ${reply.status} whose body is not JSON: ${reply.text.slice(0, 200)}`;
  }
  return undefined;
}
