import type { WorkflowEventDraft } from '@commandflow/events';
import { given } from '../testing';
import { executeStep } from './executeCommand';
import { logStep } from './logCommand';
import { validateStep } from './validateCommand';

const created: WorkflowEventDraft = { type: 'CommandCreated', data: { commandType: 'register-team', actor: 'ada', source: 'http' } };
const teamName: WorkflowEventDraft = { type: 'ParameterSet', data: { name: 'teamName', value: 'Owls' } };
const validated: WorkflowEventDraft = { type: 'ValidationSucceeded', data: { warnings: 0 } };
const completed: WorkflowEventDraft = { type: 'CommandCompleted', data: {} };
const fatal = { rule: 'required', message: 'A name is required', fatal: true } as const;
const warning = { parameter: 'players', rule: 'full-side', message: 'fewer than 11 players', fatal: false } as const;
const invalid: WorkflowEventDraft = { type: 'ValidationErrorOccurred', data: fatal };
const failed = (step: 'validate' | 'execute'): WorkflowEventDraft => ({
  type: 'CommandFailed',
  data: { step, error: { code: 'registry_down', message: 'down' }, attempts: 3 },
});
const downOnAttempt3 = { code: 'registry_down', message: 'down', attempts: 3 };

describe('the log step', () => {
  const request = { commandType: 'register-team', parameters: { teamName: 'Owls', players: 11 }, actor: 'ada', source: 'cli' as const };

  it('given no stream, records CommandCreated and one ParameterSet per parameter, then sends to validate', () => {
    given()
      .when(logStep, request)
      .then(
        [
          { type: 'CommandCreated', data: { commandType: 'register-team', actor: 'ada', source: 'cli' } },
          { type: 'ParameterSet', data: { name: 'teamName', value: 'Owls' } },
          { type: 'ParameterSet', data: { name: 'players', value: 11 } },
        ],
        'validate',
      );
  });

  it('given the command is logged and not yet validated, records nothing and sends to validate again', () => {
    given(created, teamName).when(logStep, request).thenNothing('validate');
  });

  it('given the command has moved on, records nothing and sends nothing', () => {
    given(created, teamName, validated).when(logStep, request).thenNothing();
  });
});

describe('the validate step', () => {
  it('given a Created command and no issues, records ValidationSucceeded and sends to execute', () => {
    given(created, teamName).when(validateStep, undefined, []).then([validated], 'execute');
  });

  it('given warnings only, records each, then ValidationSucceeded counting them', () => {
    given(created, teamName)
      .when(validateStep, undefined, [warning])
      .then([{ type: 'ValidationErrorOccurred', data: warning }, { type: 'ValidationSucceeded', data: { warnings: 1 } }], 'execute');
  });

  it('given a fatal issue, records every issue and no success, and sends nothing', () => {
    given(created, teamName)
      .when(validateStep, undefined, [warning, fatal])
      .then([
        { type: 'ValidationErrorOccurred', data: warning },
        { type: 'ValidationErrorOccurred', data: fatal },
      ]);
  });

  it('given the command is already Validated, records nothing and sends to execute again', () => {
    given(created, teamName, validated).when(validateStep, undefined).thenNothing('execute');
  });

  it.each([
    ['Invalid', [created, invalid]],
    ['Completed', [created, teamName, validated, completed]],
    ['Failed', [created, failed('validate')]],
  ])('given the command is %s, records and sends nothing', (_status, history) => {
    given(...history).when(validateStep, undefined).thenNothing();
  });

  it('given no stream, refuses the message as poison', () => {
    given().when(validateStep, undefined).thenThrows({ code: 'command_not_found', retryable: false });
  });

  it('when giving up on a Created command, records CommandFailed by the validate step', () => {
    given(created, teamName).whenGivingUp(validateStep, downOnAttempt3).then([failed('validate')]);
  });

  it('when giving up on a command that has moved on, records nothing', () => {
    given(created, teamName, validated).whenGivingUp(validateStep, downOnAttempt3).thenNothing();
  });
});

describe('the execute step', () => {
  it("given a Validated command and the handler's result, records CommandCompleted with it", () => {
    given(created, teamName, validated)
      .when(executeStep, undefined, { result: { registered: true } })
      .then([{ type: 'CommandCompleted', data: { result: { registered: true } } }]);
  });

  it('given a handler that returned nothing, records CommandCompleted without a result', () => {
    given(created, teamName, validated).when(executeStep, undefined, {}).then([completed]);
  });

  it('given a command not yet validated, asks to be retried later', () => {
    given(created, teamName).when(executeStep, undefined).thenThrows({ code: 'not_validated', retryable: true });
  });

  it.each([
    ['Completed', [created, teamName, validated, completed]],
    ['Failed', [created, teamName, validated, failed('execute')]],
    ['Invalid', [created, invalid]],
  ])('given the command is %s, records nothing', (_status, history) => {
    given(...history).when(executeStep, undefined).thenNothing();
  });

  it('given no stream, refuses the message as poison', () => {
    given().when(executeStep, undefined).thenThrows({ code: 'command_not_found', retryable: false });
  });

  it('when giving up on a Validated command, records CommandFailed by the execute step', () => {
    given(created, teamName, validated).whenGivingUp(executeStep, downOnAttempt3).then([failed('execute')]);
  });

  it('when giving up on a command still Created, leaves it to the validate step', () => {
    given(created, teamName).whenGivingUp(executeStep, downOnAttempt3).thenNothing();
  });
});
