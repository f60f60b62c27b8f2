import { z } from 'zod';
import { PermanentError, type ValidationIssue } from '@commandflow/events';
import { defineCommand } from '@commandflow/workflow';
import { leagueEventCodec, leagueStreamId, type LeagueEvent } from './leagueEvents';
import { isEmailAddress, leagueExists, leagueNameIssues } from './leagueRules';

type LeagueEventDraft = Pick<LeagueEvent, 'type' | 'data'>;

/** Forms a league: its stream gets LeagueFormed, plus ContactDetailsChanged when contacts are given. */
export const createLeague = defineCommand({
  type: 'create-league',
  description: 'Form a new league. Its name must be unused; contact details are optional.',
  parameters: z.object({
    leagueName: z.string().describe('Unique name of the league'),
    dateIncorporated: z.iso.date().optional().describe('YYYY-MM-DD; a date in the future is a warning'),
    location: z.string().optional(),
    twitterHandle: z.string().optional(),
    email: z.string().optional().describe('Contact address; a malformed one is a warning'),
  }),
  async validate(params, ctx) {
    const issues: ValidationIssue[] = leagueNameIssues(params.leagueName);
    if (issues.length === 0 && (await leagueExists(ctx, params.leagueName))) {
      issues.push({
        parameter: 'leagueName',
        rule: 'league-name-unique',
        message: `A league named ${params.leagueName} already exists`,
        fatal: true,
      });
    }
    if (params.dateIncorporated !== undefined && params.dateIncorporated > ctx.now().toISOString().slice(0, 10)) {
      issues.push({
        parameter: 'dateIncorporated',
        rule: 'date-not-in-future',
        message: `The incorporation date ${params.dateIncorporated} is in the future`,
        fatal: false,
      });
    }
    if (params.email !== undefined && !isEmailAddress(params.email)) {
      issues.push({ parameter: 'email', rule: 'email-format', message: `${params.email} does not look like an email address`, fatal: false });
    }
    return issues;
  },
  async execute({ leagueName, dateIncorporated, location, email, twitterHandle }, ctx) {
    const streamId = leagueStreamId(leagueName);
    await ctx.recordOnce(
      streamId,
      (existing) => {
        if (existing.length > 0) throw new PermanentError('league_exists', `A league named ${leagueName} already exists`);
        const drafts: LeagueEventDraft[] = [
          { type: 'LeagueFormed', data: { leagueName, ...defined({ dateIncorporated, location }) } },
        ];
        if (email !== undefined || twitterHandle !== undefined) {
          drafts.push({ type: 'ContactDetailsChanged', data: defined({ email, twitterHandle }) });
        }
        return drafts;
      },
      { schemaVersionOf: leagueEventCodec.schemaVersionOf },
    );
    return { leagueStreamId: streamId, leagueName };
  },
});

/** The object without its undefined properties (they are not stored). */
function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
