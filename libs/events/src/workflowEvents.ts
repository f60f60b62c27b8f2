import { z } from 'zod';
import type { EventDraft } from './envelope';
import { eventCodec } from './eventCodec';

/** Where a command came in. */
export const commandSources = ['http', 'eventgrid', 'servicebus', 'cli'] as const;
export type CommandSource = (typeof commandSources)[number];

const commandCreatedV1 = z.object({ commandType: z.string(), requestedBy: z.string() });

const commandCreated = z.object({
  commandType: z.string().min(1),
  actor: z.string().min(1),
  source: z.enum(commandSources),
  idempotencyKey: z.string().min(1).optional(),
  /** Fingerprint of the keyed request (type and parameters), to tell a retry from a new request under the same key. Absent on commands logged before it was recorded. */
  requestFingerprint: z.string().min(1).optional(),
});

const parameterSet = z.object({ name: z.string().min(1), value: z.json() });

const validationIssue = z.object({
  /** The parameter at fault; absent for rules about the command as a whole. */
  parameter: z.string().optional(),
  /** Machine-readable rule name, e.g. `required`, `league-name-unique`. */
  rule: z.string().min(1),
  message: z.string().min(1),
  /** A fatal issue makes the command Invalid; a non-fatal one is a warning. */
  fatal: z.boolean(),
});

const validationSucceeded = z.object({
  /** How many non-fatal issues (warnings) were recorded before this event. */
  warnings: z.number().int().nonnegative(),
});

const commandCompleted = z.object({ result: z.json().optional() });

/** The workflow's steps, named once: in code, events, logs, queues (`validate`, `execute`) and docs. */
export const stepNames = ['log', 'validate', 'execute'] as const;
export type StepName = (typeof stepNames)[number];

const commandFailedV1 = z.object({ error: z.object({ code: z.string(), message: z.string() }), attempts: z.number() });
const commandFailed = z.object({
  /** The step that gave up: `validate` or `execute`. */
  step: z.enum(stepNames),
  error: z.object({ code: z.string().min(1), message: z.string() }),
  /** The delivery attempt on which the step gave up. */
  attempts: z.number().int().positive(),
});

/**
 * The workflow's event registry. CommandCreated is at schemaVersion 2: version 1 recorded only
 * `requestedBy` (no source); it is upcast to `actor` with source `http`, the only entry point then.
 * CommandFailed is at schemaVersion 2: version 1 had no `step`; only the execute step could fail then.
 */
export const workflowEventCodec = eventCodec({
  CommandCreated: {
    schemaVersion: 2,
    data: commandCreated,
    upcasters: {
      1: (data) => {
        const { requestedBy, ...rest } = commandCreatedV1.parse(data);
        return { ...rest, actor: requestedBy, source: 'http' };
      },
    },
  },
  ParameterSet: { schemaVersion: 1, data: parameterSet },
  ValidationErrorOccurred: { schemaVersion: 1, data: validationIssue },
  ValidationSucceeded: { schemaVersion: 1, data: validationSucceeded },
  CommandCompleted: { schemaVersion: 1, data: commandCompleted },
  CommandFailed: {
    schemaVersion: 2,
    data: commandFailed,
    upcasters: { 1: (data) => ({ ...commandFailedV1.parse(data), step: 'execute' }) },
  },
});

export type CommandCreatedData = z.infer<typeof commandCreated>;
export type ParameterSetData = z.infer<typeof parameterSet>;
export type ValidationIssue = z.infer<typeof validationIssue>;
export type ValidationSucceededData = z.infer<typeof validationSucceeded>;
export type CommandCompletedData = z.infer<typeof commandCompleted>;
export type CommandFailedData = z.infer<typeof commandFailed>;

/** Any event of a command's own stream, decoded. */
export type WorkflowEvent = ReturnType<typeof workflowEventCodec.decode>;

export type WorkflowEventType = WorkflowEvent['type'];

/** A workflow event before it has an envelope. */
export type WorkflowEventDraft = {
  [Type in WorkflowEventType]: EventDraft<Type, Extract<WorkflowEvent, { type: Type }>['data']>;
}[WorkflowEventType];

/** The stream that holds one command's workflow. */
export const commandStreamId = (commandId: string): string => `command-${commandId}`;
