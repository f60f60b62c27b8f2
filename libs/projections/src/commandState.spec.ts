import type { Json, WorkflowEventDraft } from '@commandflow/events';
import { commandState, evolveCommandState, foldCommandState, initialCommandState } from './commandState';
import { stream } from '../testing';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
const created: WorkflowEventDraft = { type: 'CommandCreated', data: { commandType: 'create-league', actor: 'ada', source: 'http' } };
const param = (name: string, value: Json): WorkflowEventDraft =>
  ({ type: 'ParameterSet', data: { name, value } }) as WorkflowEventDraft;
const warning = { parameter: 'email', rule: 'email-format', message: 'odd email', fatal: false };
const fatal = { parameter: 'leagueName', rule: 'league-name-required', message: 'required', fatal: true };

describe('commandState', () => {
  it('given no events, is Empty at version 0', () => {
    expect(commandState([])).toEqual({ status: 'Empty', version: 0 });
  });

  it('given CommandCreated and parameters, is Created with the last value of each parameter', () => {
    expect(commandState(stream(created, param('leagueName', 'Old'), param('location', 'Leeds'), param('leagueName', 'New')))).toEqual({
      status: 'Created',
      commandId: 'c1',
      commandType: 'create-league',
      actor: 'ada',
      source: 'http',
      correlationId: 'corr-1',
      parameters: { leagueName: 'New', location: 'Leeds' },
      errors: [],
      warnings: [],
      createdAt: at(1),
      version: 4,
    });
  });

  it('given a fatal and a non-fatal issue, is Invalid with the errors and warnings apart', () => {
    const state = commandState(
      stream(created, { type: 'ValidationErrorOccurred', data: warning }, { type: 'ValidationErrorOccurred', data: fatal }),
    );
    expect(state).toMatchObject({ status: 'Invalid', errors: [fatal], warnings: [warning], invalidatedAt: at(3), version: 3 });
  });

  it('given warnings then ValidationSucceeded, is Validated with the warnings', () => {
    const state = commandState(
      stream(created, { type: 'ValidationErrorOccurred', data: warning }, { type: 'ValidationSucceeded', data: { warnings: 1 } }),
    );
    expect(state).toMatchObject({ status: 'Validated', warnings: [warning], errors: [], validatedAt: at(3) });
  });

  it('given CommandCompleted after validation, is Completed with the result', () => {
    const state = commandState(
      stream(created, { type: 'ValidationSucceeded', data: { warnings: 0 } }, { type: 'CommandCompleted', data: { result: { id: 7 } } }),
    );
    expect(state).toMatchObject({ status: 'Completed', result: { id: 7 }, validatedAt: at(2), completedAt: at(3), version: 3 });
  });

  it('given CommandFailed after validation, is Failed with the failure and attempts', () => {
    const state = commandState(
      stream(
        created,
        { type: 'ValidationSucceeded', data: { warnings: 0 } },
        { type: 'CommandFailed', data: { step: 'execute', error: { code: 'league_exists', message: 'taken' }, attempts: 3 } },
      ),
    );
    expect(state).toMatchObject({
      status: 'Failed',
      failure: { step: 'execute', code: 'league_exists', message: 'taken', attempts: 3 },
      validatedAt: at(2),
      failedAt: at(3),
    });
  });

  it('given CommandFailed by the validate step, is Failed without ever being Validated', () => {
    const state = commandState(stream(created, { type: 'CommandFailed', data: { step: 'validate', error: { code: 'registry_down', message: 'down' }, attempts: 5 } }));
    expect(state).toMatchObject({ status: 'Failed', failure: { step: 'validate', code: 'registry_down', attempts: 5 }, failedAt: at(2) });
    expect(state).not.toHaveProperty('validatedAt');
  });

  it('ignores events that make no sense in the current state, but counts their version', () => {
    const state = commandState(
      stream(
        created,
        { type: 'ValidationSucceeded', data: { warnings: 0 } },
        { type: 'CommandCompleted', data: {} },
        { type: 'CommandFailed', data: { step: 'execute', error: { code: 'late', message: 'late' }, attempts: 1 } },
        param('leagueName', 'too late'),
        created,
      ),
    );
    expect(state).toMatchObject({ status: 'Completed', parameters: {}, version: 6 });
    expect(commandState(stream({ type: 'ValidationSucceeded', data: { warnings: 0 } }))).toEqual({ status: 'Empty', version: 0 });
  });

  it('as of a version, folds only the events up to it', () => {
    const events = stream(created, param('leagueName', 'A'), { type: 'ValidationSucceeded', data: { warnings: 0 } }, { type: 'CommandCompleted', data: {} });
    expect(commandState(events, { asOfVersion: 2 })).toMatchObject({ status: 'Created', version: 2, parameters: { leagueName: 'A' } });
    expect(commandState(events, { asOfVersion: 3 })).toMatchObject({ status: 'Validated', version: 3 });
    expect(commandState(events, { asOfVersion: 0 })).toEqual({ status: 'Empty', version: 0 });
  });

  it('as of an instant, folds only the events that had occurred by then', () => {
    const events = stream(created, { type: 'ValidationSucceeded', data: { warnings: 0 } }, { type: 'CommandCompleted', data: {} });
    expect(commandState(events, { asOf: at(2) })).toMatchObject({ status: 'Validated', version: 2 });
    expect(commandState(events, { asOf: '2026-01-01T00:00:02.500+00:00' })).toMatchObject({ status: 'Validated' });
    expect(commandState(events, { asOf: at(0) })).toEqual({ status: 'Empty', version: 0 });
  });

  it.each([
    ['warnings, then fatal errors', [...Array.from({ length: 300 }, () => warning), fatal, ...Array.from({ length: 300 }, (_, n) => (n % 3 ? fatal : warning))]],
    ['warnings, then success', [...Array.from({ length: 300 }, () => warning)]],
  ])(
    'folds long runs of parameters and of issues (%s) as the one-event-at-a-time reduce does, leaving the state it started from as it was',
    (_name, issues) => {
      const events = stream(
        created,
        ...Array.from({ length: 1000 }, (_, n) => param(`p${n % 700}`, n)),
        { type: 'ValidationErrorOccurred', data: warning },
        param('late', true),
        param('p1', 'last'),
        ...issues.map((data): WorkflowEventDraft => ({ type: 'ValidationErrorOccurred', data })),
        { type: 'ValidationSucceeded', data: { warnings: issues.length } },
        { type: 'ValidationErrorOccurred', data: warning },
        { type: 'CommandCompleted', data: {} },
      );
      for (const end of [1, 500, 1003, 1004, 1200, events.length - 2, events.length]) {
        expect(commandState(events.slice(0, end))).toEqual(events.slice(0, end).reduce(evolveCommandState, initialCommandState));
      }
      for (const split of [500, 1004, 1200]) {
        const before = commandState(events.slice(0, split));
        const snapshot = structuredClone(before);
        expect(foldCommandState(before, events.slice(split))).toEqual(commandState(events));
        expect(before).toEqual(snapshot);
      }
    },
  );
});
