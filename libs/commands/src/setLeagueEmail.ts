import { z } from 'zod';
import { PermanentError } from '@commandflow/events';
import { defineCommand } from '@commandflow/workflow';
import { leagueEventCodec, leagueStreamId } from './leagueEvents';
import { existingLeagueIssues } from './leagueRules';

/** Changes a league's contact address: LeagueEmailChanged on its stream. */
export const setLeagueEmail = defineCommand({
  type: 'set-league-email',
  description: "Change an existing league's contact email address.",
  parameters: z.object({
    leagueName: z.string().describe('Name of an existing league'),
    newEmailAddress: z.string().describe('The new address; a blank one is a warning'),
    notes: z.string().optional(),
  }),
  async validate({ leagueName, newEmailAddress }, ctx) {
    const issues = await existingLeagueIssues(ctx, leagueName);
    if (newEmailAddress.trim() === '') {
      issues.push({ parameter: 'newEmailAddress', rule: 'email-not-blank', message: 'The new email address is blank', fatal: false });
    }
    return issues;
  },
  async execute({ leagueName, newEmailAddress, notes }, ctx) {
    await ctx.recordOnce(
      leagueStreamId(leagueName),
      (existing) => {
        if (existing.length === 0) throw new PermanentError('league_not_found', `There is no league named ${leagueName}`);
        return [{ type: 'LeagueEmailChanged', data: { newEmailAddress, ...(notes === undefined ? {} : { notes }) } }];
      },
      { schemaVersionOf: leagueEventCodec.schemaVersionOf },
    );
    return { leagueName, newEmailAddress };
  },
});
