/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

/**
 * The page's script, run in the browser. It is serialised with `Function.prototype.toString` into
 * the page, so it must stay self-contained: it refers to nothing outside its own body but the
 * browser's globals. It reads its view from the URL (list, one command, dead letters), draws it
 * from the page's data routes (the API's own handlers under `<page>/data`), and keeps the URL in
 * step with what it shows, so that every state is a link that can be shared.
 */
export function commandPageScript(): void {
  type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
  type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;
  type Child = Node | string | number | null | undefined | false | Child[];
  interface Config {
    writes: boolean;
    queues: string[];
    writeHeader: string;
  }
  interface Issue {
    parameter?: string;
    rule: string;
    message: string;
    fatal: boolean;
  }
  interface CommandState {
    status: string;
    commandId: string;
    commandType: string;
    actor: string;
    source: string;
    idempotencyKey?: string;
    correlationId: string;
    parameters: Record<string, Json>;
    errors: Issue[];
    warnings: Issue[];
    createdAt: string;
    updatedAt?: string;
    version: number;
    result?: Json;
    failure?: { code: string; message: string; attempts: number };
  }
  interface WorkflowEvent {
    eventId: string;
    version: number;
    type: string;
    data: Record<string, Json>;
    metadata: { occurredAt: string; correlationId: string; actor: string; traceparent?: string };
  }
  interface DeadLetter {
    queue: string;
    sequenceNumber: number;
    messageId: string;
    body: Json;
    subject?: string;
    correlationId?: string;
    properties: Record<string, Json>;
    deliveryCount: number;
    enqueuedAt: string;
    reason: string;
    description?: string;
  }
  /** A stalled command as `/stalled-commands` lists it: the sweeper's nudges, and when it gave up. */
  interface StalledCommand {
    commandId: string;
    commandType: string;
    status: string;
    version: number;
    updatedAt: string;
    nudges: number;
    gaveUpAt?: string;
  }

  const statuses = ['Created', 'Validated', 'Completed', 'Invalid', 'Failed'];
  const terminal = ['Completed', 'Invalid', 'Failed'];
  const steps: Record<string, string> = {
    CommandCreated: 'log',
    ParameterSet: 'log',
    ValidationErrorOccurred: 'validate',
    ValidationSucceeded: 'validate',
    CommandCompleted: 'perform',
    CommandFailed: 'perform',
  };
  const stepNames = ['log', 'validate', 'perform'];
  const pollMs = 2000;

  const configElement = document.getElementById('page-config');
  const config = JSON.parse(configElement?.textContent ?? '{}') as Config;
  const main = document.getElementById('main') as HTMLElement;
  const base = location.pathname.replace(/\/ui(\/.*)?$/, '/ui');
  const dataUrl = (path: string) => `${base}/data${path}`;
  const query = new URLSearchParams(location.search);

  /** Creates an element; text children are text nodes, never HTML. */
  function h(tag: string, attributes: Attributes = {}, ...children: Child[]): HTMLElement {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === false) continue;
      if (typeof value === 'function') element.addEventListener(name.slice(2), value);
      else if (name === 'className') element.className = String(value);
      else element.setAttribute(name, value === true ? '' : String(value));
    }
    append(element, children);
    return element;
  }
  function append(parent: Node, children: Child[]): void {
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) append(parent, child);
      else parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
    }
  }
  /** Text made safe to put inside HTML (element content or a quoted attribute). */
  const htmlSpecial = /[&<>"']/;
  const escapeHtml = (text: string) => (htmlSpecial.test(text) ? text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`) : text);
  const replace = (parent: Element, ...children: Child[]) => {
    parent.replaceChildren();
    append(parent, children);
  };

  /** A control with its label above it. */
  const field = (label: string, control: HTMLElement) => h('div', { className: 'field' }, h('label', { for: control.id }, label), control);
  const statusBadge = (status: string) => h('span', { className: `status status-${status}` }, status);
  const readableTime = (iso: string) => iso.replace('T', ' ').replace(/\.(\d{3})Z$/, '.$1 UTC');
  const time = (iso: string) => h('time', { datetime: iso }, readableTime(iso));
  const duration = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 60_000).toFixed(1)} min`);
  const json = (value: unknown) => h('pre', {}, JSON.stringify(value, null, 2));
  const pageLink = (path: string, params: Record<string, string | undefined> = {}) => {
    const search = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
    return `${base}${path}${search.size > 0 ? `?${search}` : ''}`;
  };
  const commandLink = (commandId: string) => `${base}/commands/${encodeURIComponent(commandId)}`;

  /** A failed request: its status and the API's error JSON (or its text). */
  class RequestFailed extends Error {
    constructor(
      readonly status: number,
      readonly body: unknown,
    ) {
      super(`Request failed with ${status}`);
    }
  }
  async function fetchJson<T>(url: string, init: RequestInit = {}): Promise<T> {
    const response = await fetch(url, { ...init, headers: { accept: 'application/json', ...(init.headers ?? {}) } });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: shown as text.
    }
    if (!response.ok) throw new RequestFailed(response.status, body);
    return body as T;
  }
  function errorPanel(error: unknown): HTMLElement {
    const status = error instanceof RequestFailed ? error.status : undefined;
    const body = error instanceof RequestFailed ? error.body : { error: { code: 'page_error', message: String(error) } };
    return h('div', { className: 'alert', role: 'alert' }, h('h2', {}, status ? `The request failed (${status})` : 'Something failed'), json(body));
  }

  /** Runs `refresh` every pollMs while `active()` holds and the tab is visible. */
  function poll(refresh: () => Promise<void>, active: () => boolean): void {
    const tick = async () => {
      if (active() && document.visibilityState === 'visible') {
        try {
          await refresh();
        } catch {
          // A failed refresh keeps what is shown; the next one tries again.
        }
      }
      setTimeout(tick, pollMs);
    };
    setTimeout(tick, pollMs);
  }

  function markCurrentSection(section: string): void {
    for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-link]')) {
      link.href = link.dataset['link'] === 'dead-letters' ? pageLink('/dead-letters') : pageLink('');
      if (link.dataset['link'] === section && !link.classList.contains('brand')) link.setAttribute('aria-current', 'page');
    }
  }

  // ---- The command list -------------------------------------------------------------------

  async function commandList(): Promise<void> {
    markCurrentSection('commands');
    document.title = 'Commands · commandflow';
    const status = query.get('status') ?? '';
    const commandType = query.get('commandType') ?? '';
    const limit = query.get('limit') ?? '25';
    const continuation = query.get('continuation') ?? '';
    let live = query.get('live') !== 'off';

    const countsList = h('ul', { className: 'counts', 'aria-label': 'Commands by status' });
    const typeSelect = h('select', { name: 'commandType', id: 'filter-type' }, h('option', { value: '' }, 'All types')) as HTMLSelectElement;
    const statusSelect = h(
      'select',
      { name: 'status', id: 'filter-status' },
      h('option', { value: '' }, 'All statuses'),
      statuses.map((s) => h('option', { value: s, selected: s === status }, s)),
    ) as HTMLSelectElement;
    const limitSelect = h(
      'select',
      { name: 'limit', id: 'filter-limit' },
      ['25', '50', '100'].map((n) => h('option', { value: n, selected: n === limit }, n)),
    ) as HTMLSelectElement;
    const liveStatus = h('p', { className: 'live-status', 'aria-live': 'polite', id: 'live-status' });
    const liveBox = h('input', { type: 'checkbox', id: 'live', checked: live }) as HTMLInputElement;
    const form = h(
      'form',
      { className: 'toolbar', role: 'search', 'aria-label': 'Filter commands', method: 'get', action: pageLink('') },
      field('Status', statusSelect),
      field('Command type', typeSelect),
      field('Per page', limitSelect),
      h('button', { type: 'submit' }, 'Apply'),
      h('label', { className: 'inline', for: 'live' }, liveBox, 'Refresh live'),
    ) as HTMLFormElement;
    for (const select of [statusSelect, typeSelect, limitSelect]) select.addEventListener('change', () => form.requestSubmit());
    liveBox.addEventListener('change', () => {
      live = liveBox.checked;
      const params = new URLSearchParams(location.search);
      if (live) params.delete('live');
      else params.set('live', 'off');
      history.replaceState(null, '', `${location.pathname}${params.size > 0 ? `?${params}` : ''}`);
      liveStatus.textContent = live ? 'Refreshing live' : 'Live refresh off';
    });
    const tbody = h('tbody');
    const table = h(
      'table',
      { className: 'stack', id: 'commands' },
      h('caption', {}, 'Newest first'),
      h('thead', {}, h('tr', {}, ['Status', 'Type', 'Command id', 'Actor', 'Created', 'Updated', 'Version'].map((c) => h('th', { scope: 'col' }, c)))),
      tbody,
    );
    const pager = h('nav', { className: 'pager', 'aria-label': 'Pages' });
    const problems = h('div');
    replace(main, h('h1', {}, 'Commands'), countsList, form, liveStatus, problems, table, pager);

    const listQuery = () =>
      new URLSearchParams(
        Object.entries({ status, commandType, limit, continuation }).filter((entry) => entry[1] !== ''),
      ).toString();
    let shown = '';
    async function refresh(): Promise<void> {
      const [page, counts] = await Promise.all([
        fetchJson<{ items: CommandState[]; continuation: string | null }>(dataUrl(`/commands?${listQuery()}`)),
        fetchJson<{ counts: Record<string, number> }>(dataUrl(`/command-counts${commandType ? `?${new URLSearchParams({ commandType })}` : ''}`)),
      ]);
      replace(problems);
      const fingerprint = JSON.stringify([page, counts]);
      if (fingerprint !== shown) {
        shown = fingerprint;
        renderCounts(counts.counts);
        renderRows(page.items);
        replace(
          pager,
          continuation ? h('a', { href: pageLink('', { status, commandType, limit }) }, '« First page') : null,
          page.continuation ? h('a', { href: pageLink('', { status, commandType, limit, continuation: page.continuation }), rel: 'next' }, 'Next page »') : null,
        );
      }
      liveStatus.textContent = `${live ? 'Refreshing live; u' : 'U'}pdated ${new Date().toLocaleTimeString()}`;
    }
    function renderCounts(counts: Record<string, number>): void {
      const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
      replace(
        countsList,
        h('li', {}, h('a', { href: pageLink('', { commandType, limit }), 'aria-current': status === '' ? 'true' : undefined }, 'All ', h('strong', {}, total))),
        statuses.map((s) =>
          h(
            'li',
            {},
            h('a', { href: pageLink('', { status: s, commandType, limit }), 'aria-current': status === s ? 'true' : undefined }, statusBadge(s), h('strong', {}, counts[s] ?? 0)),
          ),
        ),
      );
    }
    /**
     * Draws the rows as one escaped HTML string (the fastest way to a thousand rows), laid out
     * before the User Timing measure `commandflow:render-list` ends.
     */
    function renderRows(items: CommandState[]): void {
      performance.mark('commandflow:render-list:start');
      const cell = (label: string, content: string, className = '') => `<td data-label="${label}"${className ? ` class="${className}"` : ''}>${content}</td>`;
      const rows = items.map(
        (item) =>
          `<tr>${cell('Status', `<span class="status status-${escapeHtml(item.status)}">${escapeHtml(item.status)}</span>`)}${cell('Type', escapeHtml(item.commandType))}${cell(
            'Command id',
            `<a href="${escapeHtml(commandLink(item.commandId))}">${escapeHtml(item.commandId)}</a>`,
            'mono',
          )}${cell('Actor', escapeHtml(item.actor))}${cell('Created', escapeHtml(readableTime(item.createdAt)))}${cell('Updated', escapeHtml(readableTime(item.updatedAt ?? item.createdAt)))}${cell('Version', escapeHtml(String(item.version)), 'num')}</tr>`,
      );
      tbody.innerHTML = rows.length > 0 ? rows.join('') : '<tr><td colspan="7">No commands match.</td></tr>';
      void tbody.offsetHeight; // lays the table out, so the measure covers what the user waits for
      performance.measure('commandflow:render-list', 'commandflow:render-list:start');
    }

    fetchJson<{ commandTypes: { type: string }[] }>(dataUrl('/command-types'))
      .then(({ commandTypes }) => {
        for (const { type } of commandTypes) typeSelect.appendChild(h('option', { value: type, selected: type === commandType }, type));
      })
      .catch(() => undefined);
    try {
      await refresh();
    } catch (error) {
      replace(problems, errorPanel(error));
    }
    poll(refresh, () => live);
  }

  // ---- One command's timeline -------------------------------------------------------------

  async function commandTimeline(commandId: string): Promise<void> {
    markCurrentSection('commands');
    document.title = `${commandId} · commandflow`;
    const commandUrl = dataUrl(`/commands/${encodeURIComponent(commandId)}`);
    let events: WorkflowEvent[];
    let current: CommandState;
    try {
      [{ events }, current] = await Promise.all([fetchJson<{ events: WorkflowEvent[] }>(`${commandUrl}/events`), fetchJson<CommandState>(commandUrl)]);
    } catch (error) {
      replace(main, h('h1', {}, 'Command ', h('span', { className: 'mono' }, commandId)), errorPanel(error));
      return;
    }
    const requested = Number(query.get('asOfVersion'));
    let asOfVersion = Number.isInteger(requested) && requested >= 1 && requested < current.version ? requested : current.version;

    const heading = h('h1');
    const facts = h('dl', { className: 'facts' });
    const slider = h('input', { type: 'range', id: 'version', min: 1, step: 1, 'aria-describedby': 'as-of-note' }) as HTMLInputElement;
    const sliderValue = h('output', { for: 'version', id: 'version-value' });
    const asOfNote = h('p', { id: 'as-of-note', className: 'muted', 'aria-live': 'polite' });
    const stateView = h('div', { id: 'state' });
    const axis = h('div', { className: 'axis', role: 'group', 'aria-label': 'Events on a time axis, one lane per step' });
    const durations = h('ul', { className: 'durations', 'aria-label': 'Time between steps' });
    const eventList = h('ol', { className: 'events', id: 'events' });
    const problems = h('div');
    replace(
      main,
      heading,
      problems,
      h('section', { className: 'card', 'aria-labelledby': 'who-title' }, h('h2', { id: 'who-title' }, 'Who and where'), facts),
      h(
        'section',
        { className: 'card', 'aria-labelledby': 'timeline-title' },
        h('h2', { id: 'timeline-title' }, 'Timeline'),
        axis,
        durations,
      ),
      h(
        'section',
        { className: 'card', 'aria-labelledby': 'state-title' },
        h('h2', { id: 'state-title' }, 'State as of a version'),
        h('div', { className: 'slider' }, h('label', { for: 'version' }, 'Version'), slider, sliderValue),
        asOfNote,
        stateView,
      ),
      h('section', { className: 'card', 'aria-labelledby': 'events-title' }, h('h2', { id: 'events-title' }, 'Events'), eventList),
    );

    function renderFrame(): void {
      replace(heading, current.commandType, ' ', statusBadge(current.status));
      const created = events[0];
      const traceId = created?.metadata.traceparent?.split('-')[1];
      replace(
        facts,
        [
          ['Command id', h('span', { className: 'mono' }, current.commandId)],
          ['Actor', current.actor],
          ['Source', current.source],
          ['Correlation id', h('span', { className: 'mono' }, current.correlationId)],
          ['Trace id', traceId ? h('span', { className: 'mono' }, traceId) : h('span', { className: 'muted' }, 'none recorded')],
          ['Idempotency key', current.idempotencyKey ?? h('span', { className: 'muted' }, 'none')],
          ['Created', time(current.createdAt)],
        ].map(([term, value]) => [h('dt', {}, term as string), h('dd', {}, value as Child)]),
      );
      slider.max = String(current.version);
      slider.disabled = current.version <= 1;
      renderAxis();
    }

    function renderAxis(): void {
      const times = events.map((event) => Date.parse(event.metadata.occurredAt));
      const start = Math.min(...times);
      const span = Math.max(1, Math.max(...times) - start);
      // Events of a step that lie within 3% of the axis of each other share one marker ("1–3").
      const groups = stepNames.map((step) => {
        const inStep = events.map((event, index) => ({ event, offset: (times[index] as number) - start })).filter(({ event }) => (steps[event.type] ?? 'log') === step);
        const merged: { first: WorkflowEvent; last: WorkflowEvent; offset: number }[] = [];
        for (const { event, offset } of inStep) {
          const previous = merged.at(-1);
          if (previous && (offset - previous.offset) / span < 0.03) previous.last = event;
          else merged.push({ first: event, last: event, offset });
        }
        return { step, merged };
      });
      const lanes = groups.map(({ step, merged }) => {
        const lane = h('div', { className: 'lane' }, h('span', { className: 'lane-name' }, step));
        for (const { first, last, offset } of merged) {
          const versions = first === last ? `${first.version}` : `${first.version}–${last.version}`;
          const types = events.filter((event) => event.version >= first.version && event.version <= last.version).map((event) => event.type);
          const marker = h(
            'button',
            {
              type: 'button',
              className: `marker marker-${step}${first.version > asOfVersion ? ' later' : ''}`,
              'aria-pressed': asOfVersion >= first.version && asOfVersion <= last.version ? 'true' : 'false',
              'aria-label': `Version ${versions}, ${types.join(', ')}, ${step} step, ${duration(offset)} after the first event: show the state as of version ${last.version}`,
              title: `v${versions} ${types.join(', ')} +${duration(offset)}`,
              onclick: () => showVersion(last.version),
            },
            versions,
          );
          marker.style.left = `${(offset / span) * 100}%`;
          lane.appendChild(marker);
        }
        return lane;
      });
      replace(axis, lanes, h('div', { className: 'ticks', 'aria-hidden': 'true' }, h('span', {}, '0'), h('span', {}, `+${duration(span)}`)));
      const bounds = (step: string) => {
        const at = events.filter((event) => (steps[event.type] ?? 'log') === step).map((event) => Date.parse(event.metadata.occurredAt));
        return at.length === 0 ? undefined : { first: Math.min(...at), last: Math.max(...at) };
      };
      const [log, validate, perform] = stepNames.map(bounds);
      replace(
        durations,
        h('li', {}, 'log → validate: ', h('strong', {}, log && validate ? duration(validate.first - log.last) : 'not yet')),
        h('li', {}, 'validate → perform: ', h('strong', {}, validate && perform ? duration(perform.first - validate.last) : current.status === 'Invalid' ? 'not performed (invalid)' : 'not yet')),
        h('li', {}, 'first → last event: ', h('strong', {}, duration(span === 1 && times.length < 2 ? 0 : span))),
      );
    }

    function renderEvents(): void {
      const start = Date.parse(events[0]?.metadata.occurredAt ?? '');
      replace(
        eventList,
        events.map((event) => {
          const step = steps[event.type] ?? 'log';
          const later = event.version > asOfVersion;
          return h(
            'li',
            { className: later ? 'later' : undefined, id: `v${event.version}` },
            h(
              'div',
              { className: 'event-head' },
              h('span', { className: 'version' }, `v${event.version}`),
              h('span', { className: 'type' }, event.type),
              h('span', { className: `step step-${step}` }, `${step} step`),
              time(event.metadata.occurredAt),
              h('span', { className: 'muted' }, `+${duration(Date.parse(event.metadata.occurredAt) - start)}`),
              later ? h('span', { className: 'muted' }, `(after version ${asOfVersion})`) : null,
            ),
            h('details', {}, h('summary', {}, `Raw JSON of version ${event.version}`), json(event)),
          );
        }),
      );
    }

    function issues(list: Issue[], kind: 'fatal' | 'warning'): HTMLElement {
      return h(
        'ul',
        { className: 'issues' },
        list.map((issue) =>
          h(
            'li',
            {},
            h('span', { className: `tag tag-${kind}` }, kind === 'fatal' ? 'Fatal' : 'Warning'),
            issue.parameter ? h('code', {}, issue.parameter) : 'command',
            ': ',
            issue.message,
            ' ',
            h('span', { className: 'muted' }, `(rule ${issue.rule})`),
          ),
        ),
      );
    }

    function renderState(state: CommandState): void {
      slider.value = String(asOfVersion);
      sliderValue.textContent = `${asOfVersion} of ${current.version}`;
      asOfNote.textContent =
        asOfVersion === current.version ? `Now (version ${current.version}): ${state.status}` : `As of version ${asOfVersion}: ${state.status}. Later events are dimmed.`;
      const parameters = Object.entries(state.parameters ?? {});
      replace(
        stateView,
        h('p', {}, 'Status ', statusBadge(state.status)),
        h(
          'div',
          { className: 'grid' },
          h(
            'div',
            {},
            h('h3', {}, 'Parameters'),
            parameters.length === 0
              ? h('p', { className: 'muted' }, 'None set yet.')
              : h('dl', { className: 'facts' }, parameters.map(([name, value]) => [h('dt', {}, name), h('dd', { className: 'mono' }, JSON.stringify(value))])),
          ),
          h(
            'div',
            {},
            h('h3', {}, 'Validation'),
            state.errors.length === 0 && state.warnings.length === 0
              ? h('p', { className: 'muted' }, state.status === 'Created' ? 'Not validated yet.' : 'No issues.')
              : null,
            state.errors.length > 0 ? [h('h4', {}, `Fatal errors (${state.errors.length})`), issues(state.errors, 'fatal')] : null,
            state.warnings.length > 0 ? [h('h4', {}, `Warnings (${state.warnings.length})`), issues(state.warnings, 'warning')] : null,
          ),
          h(
            'div',
            {},
            h('h3', {}, 'Outcome'),
            state.status === 'Completed'
              ? [h('p', {}, 'Result'), state.result === undefined ? h('p', { className: 'muted' }, 'No result value.') : json(state.result)]
              : state.status === 'Failed' && state.failure
                ? h(
                    'dl',
                    { className: 'facts', id: 'failure' },
                    h('dt', {}, 'Failure code'),
                    h('dd', { className: 'mono' }, state.failure.code),
                    h('dt', {}, 'Message'),
                    h('dd', {}, state.failure.message),
                    h('dt', {}, 'Attempts'),
                    h('dd', {}, state.failure.attempts),
                  )
                : h('p', { className: 'muted' }, state.status === 'Invalid' ? 'Not performed: the command is invalid.' : 'Not performed yet.'),
          ),
        ),
      );
    }

    let stateRequest = 0;
    /** Shows the state as of `version`, read through the as-of API, and puts the version in the URL. */
    async function showVersion(version: number): Promise<void> {
      asOfVersion = version;
      const params = new URLSearchParams(location.search);
      if (version === current.version) params.delete('asOfVersion');
      else params.set('asOfVersion', String(version));
      history.replaceState(null, '', `${location.pathname}${params.size > 0 ? `?${params}` : ''}`);
      renderAxis();
      renderEvents();
      const request = ++stateRequest;
      try {
        const state = version === current.version ? current : await fetchJson<CommandState>(`${commandUrl}?asOfVersion=${version}`);
        if (request === stateRequest) {
          replace(problems);
          renderState(state);
        }
      } catch (error) {
        replace(problems, errorPanel(error));
      }
    }
    slider.addEventListener('input', () => void showVersion(Number(slider.value)));

    renderFrame();
    await showVersion(asOfVersion);
    poll(
      async () => {
        const [{ events: latest }, state] = await Promise.all([fetchJson<{ events: WorkflowEvent[] }>(`${commandUrl}/events`), fetchJson<CommandState>(commandUrl)]);
        if (state.version === current.version) return;
        const following = asOfVersion === current.version;
        events = latest;
        current = state;
        renderFrame();
        await showVersion(following ? current.version : asOfVersion);
      },
      () => !terminal.includes(current.status),
    );
  }

  // ---- Dead letters -----------------------------------------------------------------------

  async function deadLetters(): Promise<void> {
    markCurrentSection('dead-letters');
    document.title = 'Dead letters · commandflow';
    const queue = config.queues.includes(query.get('queue') ?? '') ? (query.get('queue') as string) : (config.queues[0] ?? '');
    const from = query.get('from') ?? '';
    const opened = query.get('open') ?? '';
    const listUrl = dataUrl(`/queues/${encodeURIComponent(queue)}/dead-letters`);
    const problems = h('div');
    const detail = h('div');
    const notice = h('p', { className: 'live-status', role: 'status' });
    const tbody = h('tbody');
    const pager = h('nav', { className: 'pager', 'aria-label': 'Pages' });
    const stalledBody = h('tbody');
    const stalledCaption = h('caption', {}, 'Unfinished commands that have not moved for a while, oldest first');
    replace(
      main,
      h('h1', {}, 'Dead letters'),
      h('nav', { 'aria-label': 'Queues' }, h('ul', { className: 'counts' }, config.queues.map((name) => h('li', {}, h('a', { href: pageLink('/dead-letters', { queue: name }), 'aria-current': name === queue ? 'true' : undefined }, 'Queue ', h('strong', {}, name)))))),
      h('p', { className: 'muted' }, config.writes ? 'This deployment lets the page resubmit dead letters.' : 'Read-only: this deployment does not let the page resubmit dead letters.'),
      notice,
      problems,
      detail,
      h(
        'table',
        { className: 'stack', id: 'dead-letters' },
        h('caption', {}, `Queue ${queue}, oldest first`),
        h('thead', {}, h('tr', {}, ['Sequence', 'Message id', 'Reason', 'Description', 'Deliveries', 'Enqueued', ''].map((c) => h('th', { scope: 'col' }, c)))),
        tbody,
      ),
      pager,
      h(
        'section',
        { 'aria-labelledby': 'stalled-title' },
        h('h2', { id: 'stalled-title' }, 'Stalled commands'),
        h(
          'table',
          { className: 'stack', id: 'stalled-commands' },
          stalledCaption,
          h('thead', {}, h('tr', {}, ['Command', 'Type', 'Status', 'Last change', 'Nudges', 'Sweeper'].map((c) => h('th', { scope: 'col' }, c)))),
          stalledBody,
        ),
      ),
    );

    async function refreshStalled(): Promise<void> {
      const stalled = await fetchJson<{ stallAfterMs: number; items: StalledCommand[] }>(dataUrl('/stalled-commands'));
      stalledCaption.textContent = `Unfinished commands without a new event for ${Math.round(stalled.stallAfterMs / 60_000)} min or more, oldest first`;
      replace(
        stalledBody,
        stalled.items.length === 0
          ? h('tr', {}, h('td', { colspan: 6 }, 'No stalled commands.'))
          : stalled.items.map((item) =>
              h(
                'tr',
                { className: item.gaveUpAt ? 'given-up' : undefined },
                h('td', { 'data-label': 'Command', className: 'mono' }, h('a', { href: commandLink(item.commandId) }, item.commandId)),
                h('td', { 'data-label': 'Type' }, item.commandType),
                h('td', { 'data-label': 'Status' }, item.status),
                h('td', { 'data-label': 'Last change' }, time(item.updatedAt)),
                h('td', { 'data-label': 'Nudges', className: 'num' }, item.nudges),
                h('td', { 'data-label': 'Sweeper' }, item.gaveUpAt ? h('span', {}, 'gave up ', time(item.gaveUpAt)) : item.nudges > 0 ? 'nudging' : 'not yet nudged'),
              ),
            ),
      );
    }

    async function refreshList(): Promise<void> {
      const page = await fetchJson<{ items: DeadLetter[]; next: number | null }>(`${listUrl}?${new URLSearchParams(from ? { from } : {})}`);
      replace(
        tbody,
        page.items.length === 0
          ? h('tr', {}, h('td', { colspan: 7 }, `No dead letters on ${queue}.`))
          : page.items.map((letter) =>
              h(
                'tr',
                {},
                h('td', { 'data-label': 'Sequence', className: 'num' }, letter.sequenceNumber),
                h('td', { 'data-label': 'Message id', className: 'mono' }, letter.messageId),
                h('td', { 'data-label': 'Reason' }, letter.reason),
                h('td', { 'data-label': 'Description' }, letter.description ?? ''),
                h('td', { 'data-label': 'Deliveries', className: 'num' }, letter.deliveryCount),
                h('td', { 'data-label': 'Enqueued' }, time(letter.enqueuedAt)),
                h('td', { 'data-label': '' }, h('a', { href: pageLink('/dead-letters', { queue, from, open: String(letter.sequenceNumber) }), 'aria-label': `Open dead letter ${letter.sequenceNumber}` }, 'Open')),
              ),
            ),
      );
      replace(
        pager,
        from ? h('a', { href: pageLink('/dead-letters', { queue }) }, '« Oldest') : null,
        page.next !== null ? h('a', { href: pageLink('/dead-letters', { queue, from: String(page.next) }), rel: 'next' }, 'More »') : null,
      );
    }

    async function showDetail(): Promise<void> {
      if (!opened) return replace(detail);
      let letter: DeadLetter;
      try {
        letter = await fetchJson<DeadLetter>(`${listUrl}/${encodeURIComponent(opened)}`);
      } catch (error) {
        return replace(detail, errorPanel(error));
      }
      const commandId = typeof letter.body === 'object' && letter.body !== null && !Array.isArray(letter.body) ? letter.body['commandId'] : undefined;
      const resubmit = h('button', { type: 'button', className: 'primary' }, 'Resubmit to the queue');
      resubmit.addEventListener('click', async () => {
        resubmit.setAttribute('disabled', '');
        try {
          const done = await fetchJson<{ messageId: string }>(`${listUrl}/${letter.sequenceNumber}/resubmit`, { method: 'POST', headers: { [config.writeHeader]: 'resubmit' } });
          notice.textContent = `Resubmitted dead letter ${letter.sequenceNumber} to ${queue} as message ${done.messageId}.`;
          replace(detail);
          const params = new URLSearchParams(location.search);
          params.delete('open');
          history.replaceState(null, '', `${location.pathname}?${params}`);
          await refreshList();
        } catch (error) {
          resubmit.removeAttribute('disabled');
          replace(problems, errorPanel(error));
        }
      });
      replace(
        detail,
        h(
          'section',
          { className: 'card', 'aria-labelledby': 'letter-title', id: 'dead-letter' },
          h('h2', { id: 'letter-title' }, `Dead letter ${letter.sequenceNumber} of ${queue}`),
          h(
            'dl',
            { className: 'facts' },
            [
              ['Reason', letter.reason],
              ['Description', letter.description ?? '—'],
              ['Message id', h('span', { className: 'mono' }, letter.messageId)],
              ['Deliveries', letter.deliveryCount],
              ['Enqueued', time(letter.enqueuedAt)],
              ['Correlation id', letter.correlationId ?? '—'],
              ['Command', typeof commandId === 'string' ? h('a', { href: commandLink(commandId) }, commandId) : 'the body names no command'],
            ].map(([term, value]) => [h('dt', {}, term as string), h('dd', {}, value as Child)]),
          ),
          h('h3', {}, 'Body'),
          json(letter.body),
          h('details', {}, h('summary', {}, 'Raw JSON'), json(letter)),
          config.writes ? resubmit : null,
        ),
      );
    }

    try {
      await Promise.all([refreshList(), showDetail(), refreshStalled()]);
    } catch (error) {
      replace(problems, errorPanel(error));
    }
  }

  // ---- Which view the URL names -----------------------------------------------------------

  const path = location.pathname.slice(base.length).replace(/\/$/, '');
  const commandMatch = /^\/commands\/([^/]+)$/.exec(path);
  const view =
    path === ''
      ? commandList()
      : commandMatch
        ? commandTimeline(decodeURIComponent(commandMatch[1] as string))
        : path === '/dead-letters'
          ? deadLetters()
          : Promise.reject(new RequestFailed(404, { error: { code: 'not_found', message: `The page has no view at ${location.pathname}` } }));
  view.catch((error: unknown) => replace(main, errorPanel(error)));
}
