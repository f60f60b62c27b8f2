/** The sample journeys the demo submits, one of each ending; league names are new on every run. */
const samples = (run: string) => [
  { label: 'valid', commandType: 'create-league', parameters: { leagueName: `Leeds Lions ${run}`, email: 'hello@lions.example', twitterHandle: '@lions' } },
  { label: 'invalid (fatal)', commandType: 'create-league', parameters: { leagueName: '   ' } },
  { label: 'warning-only', commandType: 'create-league', parameters: { leagueName: `Future FC ${run}`, dateIncorporated: '2999-01-01', email: 'not-an-email' } },
  { label: 'failing', commandType: 'invite-league-member', parameters: { leagueName: `Leeds Lions ${run}`, email: 'ghost@nowhere.invalid' } },
];

const terminal = new Set(['Completed', 'Invalid', 'Failed']);

interface EventView {
  readonly version: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/** Submits each sample and prints its journey, event by event, to its terminal status. */
export async function runDemo(url: string, print: (line: string) => void = console.log): Promise<void> {
  const run = Date.now().toString(36);
  for (const sample of samples(run)) {
    const response = await fetch(`${url}/api/commands/${sample.commandType}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `demo-${run}-${sample.label}` },
      body: JSON.stringify({ parameters: sample.parameters }),
    });
    const { commandId } = (await response.json()) as { commandId: string };
    const started = Date.now();
    let status = 'Created';
    let state: Record<string, unknown> = {};
    while (!terminal.has(status) && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      state = (await (await fetch(`${url}/api/commands/${commandId}`)).json()) as Record<string, unknown>;
      status = String(state['status']);
    }
    const { events } = (await (await fetch(`${url}/api/commands/${commandId}/events`)).json()) as { events: EventView[] };
    print(`\n${sample.label}: ${sample.commandType} ${commandId} → ${status} in ${Date.now() - started} ms`);
    for (const event of events) print(`  v${event.version} ${event.type} ${summary(event)}`);
  }
  print('');
}

function summary({ type, data }: EventView): string {
  switch (type) {
    case 'ParameterSet':
      return `${data['name']} = ${JSON.stringify(data['value'])}`;
    case 'ValidationErrorOccurred':
      return `${data['fatal'] ? 'fatal' : 'warning'} ${data['rule']}: ${data['message']}`;
    case 'CommandFailed':
      return JSON.stringify(data['error']);
    default:
      return Object.keys(data).length > 0 ? JSON.stringify(data) : '';
  }
}
