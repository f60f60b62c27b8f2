import { Agent, request } from 'node:http';

/**
 * Submits `create-league` commands to the intake over HTTP/1.1 keep-alive connections, the way
 * a client would: one POST per command, each with a league name unique to the run, so every
 * workflow validates and completes.
 */
export class CommandClient {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(
    intakeUrl: string,
    private readonly runId: string,
    maxSockets: number,
  ) {
    this.url = new URL('/api/commands/create-league', intakeUrl);
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** Submits command number `index`; resolves to its command id once the intake answered 202. */
  submit(index: number): Promise<string> {
    const body = JSON.stringify({
      parameters: { leagueName: `Bench ${this.runId} ${index}`, email: `league-${index}@bench.example` },
    });
    return new Promise((resolve, reject) => {
      const outgoing = request(
        this.url,
        { method: 'POST', agent: this.agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (response.statusCode !== 202) return reject(new Error(`Submit answered ${response.statusCode}: ${text.slice(0, 200)}`));
            try {
              resolve((JSON.parse(text) as { commandId: string }).commandId);
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  /** Whether the intake answers GET /api/command-types with 200 (it is serving). */
  async ready(): Promise<boolean> {
    try {
      const response = await fetch(new URL('/api/command-types', this.url));
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  }

  close(): void {
    this.agent.destroy();
  }
}
