import type { StepName, WorkflowEventDraft } from '@commandflow/events';
import type { CommandDetailsState, CommandState } from '@commandflow/projections';
import type { QueueName } from '@commandflow/topology';
import type { WorkflowDependencies } from './workflowDependencies';

/** What a step decided: the events to append, then the queue that gets the next step's message. */
export interface Decision {
  readonly events: readonly WorkflowEventDraft[];
  /** Sent once the events are in the stream; sent again on a redelivery (duplicate detection drops repeats). */
  readonly next?: QueueName;
}

/**
 * One idempotent step of the workflow, as a decider: a pure `decide` over the command's state and
 * the step's input, and the effect (the command's own code: its rules, its handler) that `decide`
 * needs while the command is still in `pendingStatus`. The runner runs the effect at most once
 * per delivery and never once the stream has moved past `pendingStatus`.
 */
export interface Step<Input, Outcome = never> {
  readonly name: StepName;
  /** The status in which the step still has work to do (and may give up). */
  readonly pendingStatus: CommandState['status'];
  /**
   * The events to append and where to go next. Pure. `outcome` is the effect's result whenever
   * the state is `pendingStatus` and the step has an effect. Throws when the message cannot be
   * acted on (no such command, not yet its turn).
   */
  decide(state: CommandState, input: Input, outcome?: Outcome): Decision;
  /** The command's own code, run before deciding while the command is in `pendingStatus`. */
  readonly effect?: (deps: WorkflowDependencies, state: CommandDetailsState) => Promise<Outcome>;
}

/** Why a step gave up on a command: the error's code and message, and the attempt it gave up on. */
export interface StepFailure {
  readonly code: string;
  readonly message: string;
  readonly attempts: number;
}

/**
 * The last-attempt rule of every step: a command the step still has work on ends Failed, with the
 * step, the error and the attempt; a command that has moved on is left as it is. Pure.
 */
export function giveUp(step: Step<unknown, unknown>, state: CommandState, { code, message, attempts }: StepFailure): Decision {
  if (state.status !== step.pendingStatus || state.status === 'Empty') return { events: [] };
  return { events: [{ type: 'CommandFailed', data: { step: step.name, error: { code, message }, attempts } }] };
}
