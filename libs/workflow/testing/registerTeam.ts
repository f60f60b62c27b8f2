import { z } from 'zod';
import { PermanentError, TransientError } from '@commandflow/events';
import { CommandCatalogue, defineCommand } from '../src';

/** How the test command's handler behaves, by its `outcome` parameter. */
const executeOutcomes = {
  ok: () => ({ registered: true }),
  permanent: () => {
    throw new PermanentError('team_banned', 'This team is banned');
  },
  transient: () => {
    throw new TransientError('registry_busy', 'The registry is busy');
  },
  bug: () => {
    throw new TypeError('cannot read properties of undefined');
  },
};

export type TeamOutcome = keyof typeof executeOutcomes;

/**
 * A command for workflow tests, `register-team`: a warning under 11 players, and a handler that
 * succeeds or throws as its `outcome` parameter says. `registry` counts validations and can make
 * the next ones fail transiently, as a dependency that is down would.
 */
export function registerTeamCatalogue(registry: { validations: number; failNextValidations: number } = { validations: 0, failNextValidations: 0 }) {
  const registerTeam = defineCommand({
    type: 'register-team',
    description: 'Register a team (test command)',
    parameters: z.object({
      teamName: z.string().min(1),
      players: z.number().int().optional(),
      outcome: z.enum(['ok', 'permanent', 'transient', 'bug']).default('ok'),
    }),
    validate: ({ players }) => {
      registry.validations += 1;
      if (registry.failNextValidations > 0) {
        registry.failNextValidations -= 1;
        throw new TransientError('registry_down', 'The team registry is down');
      }
      return players !== undefined && players < 11 ? [{ parameter: 'players', rule: 'full-side', message: 'fewer than 11 players', fatal: false }] : [];
    },
    execute: ({ outcome }) => executeOutcomes[outcome](),
  });
  return { catalogue: new CommandCatalogue([registerTeam]), registry };
}
