import { CliError } from './cliError';

/** Where the intake API is: the local host by default, or a deployed app with its function key. */
export interface IntakeEndpoint {
  /** e.g. `http://127.0.0.1:7071` or `https://<app>.azurewebsites.net` */
  readonly url: string;
  /** Sent as `x-functions-key` (from COMMANDFLOW_FUNCTION_KEY). */
  readonly functionKey?: string;
}

export interface ApiReply<T> {
  readonly status: number;
  readonly body: T;
}

/** A thin client of the intake HTTP API, with errors a person can act on. */
export class IntakeClient {
  constructor(private readonly endpoint: IntakeEndpoint) {}

  async request<T>(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiReply<T>> {
    const url = `${withoutTrailingSlashes(this.endpoint.url)}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.endpoint.functionKey ? { 'x-functions-key': this.endpoint.functionKey } : {}),
          ...init.headers,
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
      const reason = cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? (error as Error).message;
      throw new CliError(`Cannot reach ${this.endpoint.url} (${reason}). Is the host running (npm start), or is --url right?`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new CliError(`${method} ${url} answered ${response.status} with a body that is not JSON`);
    }
    if (response.status >= 400) {
      const error = (body as { error?: { code?: string; message?: string } }).error;
      throw new CliError(error?.message ? `${error.message} (${error.code}, HTTP ${response.status})` : `${method} ${url} failed with HTTP ${response.status}`);
    }
    return { status: response.status, body: body as T };
  }
}

function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end--;
  return url.slice(0, end);
}
