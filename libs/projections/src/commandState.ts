import type { CommandSource, Json, StepName, ValidationIssue, WorkflowEvent } from '@commandflow/events';

/** Everything known about a command once its stream exists. */
export interface CommandDetails {
  readonly commandId: string;
  readonly commandType: string;
  readonly actor: string;
  readonly source: CommandSource;
  readonly idempotencyKey?: string;
  /** Fingerprint of the keyed request that created the command. */
  readonly requestFingerprint?: string;
  readonly correlationId: string;
  /** Parameter values by name; the last ParameterSet of a name wins. */
  readonly parameters: Readonly<Record<string, Json>>;
  /** Fatal validation issues. */
  readonly errors: readonly ValidationIssue[];
  /** Non-fatal validation issues. */
  readonly warnings: readonly ValidationIssue[];
  readonly createdAt: string;
  /** The version of the last event folded in. */
  readonly version: number;
}

/** The state of one command's workflow, derived only from its stream. */
export type CommandState =
  | Readonly<{ status: 'Empty'; version: 0 }>
  | (CommandDetails & Readonly<{ status: 'Created' }>)
  | (CommandDetails & Readonly<{ status: 'Invalid'; invalidatedAt: string }>)
  | (CommandDetails & Readonly<{ status: 'Validated'; validatedAt: string }>)
  | (CommandDetails & Readonly<{ status: 'Completed'; validatedAt: string; completedAt: string; result?: Json }>)
  | (CommandDetails &
      Readonly<{
        status: 'Failed';
        /** Absent when the validate step gave up. */
        validatedAt?: string;
        failedAt: string;
        failure: Readonly<{ step: StepName; code: string; message: string; attempts: number }>;
      }>);

/** The state of a command whose stream exists. */
export type CommandDetailsState = Exclude<CommandState, { status: 'Empty' }>;

export type CommandStatus = Exclude<CommandState['status'], 'Empty'>;
export const commandStatuses: readonly CommandStatus[] = ['Created', 'Invalid', 'Validated', 'Completed', 'Failed'];
export const isTerminalStatus = (status: CommandState['status']): boolean =>
  status === 'Invalid' || status === 'Completed' || status === 'Failed';

export const initialCommandState: CommandState = { status: 'Empty', version: 0 };

/** An event that changes nothing still moves a created command's version on. */
const advanced = (state: CommandState, version: number): CommandState =>
  state.status === 'Empty' ? state : { ...state, version };

/**
 * Folds one event into the state. Events that make no sense in the current state (a second
 * CommandCreated, a ParameterSet after validation) leave it unchanged apart from the version.
 */
export function evolveCommandState(state: CommandState, event: WorkflowEvent): CommandState {
  const { version } = event;
  switch (event.type) {
    case 'CommandCreated':
      if (state.status !== 'Empty') return advanced(state, version);
      return {
        status: 'Created',
        commandId: event.metadata.commandId,
        commandType: event.data.commandType,
        actor: event.data.actor,
        source: event.data.source,
        ...(event.data.idempotencyKey === undefined ? {} : { idempotencyKey: event.data.idempotencyKey }),
        ...(event.data.requestFingerprint === undefined ? {} : { requestFingerprint: event.data.requestFingerprint }),
        correlationId: event.metadata.correlationId,
        parameters: {},
        errors: [],
        warnings: [],
        createdAt: event.metadata.occurredAt,
        version,
      };
    case 'ParameterSet':
      if (state.status !== 'Created') return advanced(state, version);
      return { ...state, parameters: { ...state.parameters, [event.data.name]: event.data.value }, version };
    case 'ValidationErrorOccurred':
      if (state.status === 'Created' && event.data.fatal) {
        return { ...state, status: 'Invalid', errors: [event.data], invalidatedAt: event.metadata.occurredAt, version };
      }
      if (state.status === 'Created') return { ...state, warnings: [...state.warnings, event.data], version };
      if (state.status === 'Invalid') {
        return event.data.fatal
          ? { ...state, errors: [...state.errors, event.data], version }
          : { ...state, warnings: [...state.warnings, event.data], version };
      }
      return advanced(state, version);
    case 'ValidationSucceeded':
      if (state.status !== 'Created') return advanced(state, version);
      return { ...state, status: 'Validated', validatedAt: event.metadata.occurredAt, version };
    case 'CommandCompleted':
      if (state.status !== 'Validated') return advanced(state, version);
      return {
        ...state,
        status: 'Completed',
        completedAt: event.metadata.occurredAt,
        ...(event.data.result === undefined ? {} : { result: event.data.result }),
        version,
      };
    case 'CommandFailed':
      // The validate step gives up on a Created command, the execute step on a Validated one.
      if (state.status !== 'Created' && state.status !== 'Validated') return advanced(state, version);
      return {
        ...state,
        status: 'Failed',
        failedAt: event.metadata.occurredAt,
        failure: { step: event.data.step, ...event.data.error, attempts: event.data.attempts },
        version,
      };
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}

/** Limits the fold to a point in the stream's history. */
export interface AsOf {
  /** Fold only events with version ≤ asOfVersion. */
  readonly asOfVersion?: number;
  /** Fold only events that occurred at or before this ISO-8601 instant. */
  readonly asOf?: string;
}

/**
 * Folds events into a state, as `events.reduce(evolveCommandState, state)` would, in time linear in
 * the events: a run of ParameterSet events fills one copy of the parameters, and a run of
 * validation issues one copy of the errors and of the warnings, instead of a copy per event. The
 * state passed in is left as it was.
 */
export function foldCommandState(state: CommandState, events: readonly WorkflowEvent[]): CommandState {
  let folded = state;
  // Copies this fold made and alone holds, filled in place while a run lasts.
  let ownParameters: Record<string, Json> | undefined;
  let ownErrors: ValidationIssue[] | undefined;
  let ownWarnings: ValidationIssue[] | undefined;
  for (const event of events) {
    if (event.type === 'ParameterSet' && folded.status === 'Created') {
      ownParameters ??= { ...folded.parameters };
      Object.defineProperty(ownParameters, event.data.name, { value: event.data.value, enumerable: true, writable: true, configurable: true });
      folded = { ...folded, parameters: ownParameters, version: event.version };
      continue;
    }
    ownParameters = undefined;
    // An issue on a created or invalid command joins its errors (fatal) or warnings, except the
    // first fatal one, which makes a created command Invalid (evolveCommandState does that).
    if (event.type === 'ValidationErrorOccurred' && (folded.status === 'Invalid' || (folded.status === 'Created' && !event.data.fatal))) {
      if (event.data.fatal) {
        ownErrors ??= [...folded.errors];
        ownErrors.push(event.data);
        folded = { ...folded, errors: ownErrors, version: event.version };
      } else {
        ownWarnings ??= [...folded.warnings];
        ownWarnings.push(event.data);
        folded = { ...folded, warnings: ownWarnings, version: event.version };
      }
      continue;
    }
    ownErrors = undefined;
    ownWarnings = undefined;
    folded = evolveCommandState(folded, event);
  }
  return folded;
}

/** The command's state, now or as of a version or instant. A pure fold over its stream, linear in its length. */
export function commandState(events: readonly WorkflowEvent[], { asOfVersion, asOf }: AsOf = {}): CommandState {
  const cutoff = asOf === undefined ? undefined : Date.parse(asOf);
  const end = events.findIndex(
    (event) => (asOfVersion !== undefined && event.version > asOfVersion) || (cutoff !== undefined && Date.parse(event.metadata.occurredAt) > cutoff),
  );
  return foldCommandState(initialCommandState, end === -1 ? events : events.slice(0, end));
}
