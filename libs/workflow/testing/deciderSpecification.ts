import type { WorkflowEventDraft } from '@commandflow/events';
import { commandState, type CommandState } from '@commandflow/projections';
import { stream } from '@commandflow/projections/testing';
import type { QueueName } from '@commandflow/topology';
import { giveUp, type Decision, type Step, type StepFailure } from '../src';

/** What a decision is expected to be: the events, then the next queue (none when omitted). */
const decision = (events: readonly WorkflowEventDraft[], next?: QueueName): Decision => ({ events, ...(next === undefined ? {} : { next }) });

/** The expectations on one decision. */
export interface Then {
  /** The step appends `events`, then sends to `next`. */
  then(events: readonly WorkflowEventDraft[], next?: QueueName): void;
  /** The step appends nothing (its work is in the stream), then sends to `next`. */
  thenNothing(next?: QueueName): void;
  /** The step refuses the message with this error (code, retryable). */
  thenThrows(error: Readonly<{ code: string; retryable?: boolean }>): void;
}

/**
 * Specifies a step as a decider, with no ports and no fakes: given these events (one command's
 * stream), when this input (and, for a step with an effect, the effect's outcome), then these
 * events and this next message.
 *
 * `given(created, parameter).when(validateStep, undefined, []).then([validationSucceeded], 'execute')`
 */
export function given(...events: WorkflowEventDraft[]) {
  const state: CommandState = commandState(stream(...events));
  const expecting = (decide: () => Decision): Then => ({
    then: (drafts, next) => expect(decide()).toEqual(decision(drafts, next)),
    thenNothing: (next) => expect(decide()).toEqual(decision([], next)),
    thenThrows: (error) => expect(decide).toThrow(expect.objectContaining(error) as unknown as Error),
  });
  return {
    state,
    when: <Input, Outcome>(step: Step<Input, Outcome>, input: Input, outcome?: Outcome): Then =>
      expecting(() => step.decide(state, input, outcome)),
    /** When the delivery policy gives up on the command at this step. */
    whenGivingUp: (step: Step<never, unknown>, failure: StepFailure): Then => expecting(() => giveUp(step as Step<unknown, unknown>, state, failure)),
  };
}
