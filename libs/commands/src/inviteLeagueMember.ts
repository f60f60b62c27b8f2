import { z } from 'zod';
import { PermanentError } from '@commandflow/events';
import { defineCommand } from '@commandflow/workflow';
import { leagueEventCodec, leagueStreamId } from './leagueEvents';
import { existingLeagueIssues, isEmailAddress } from './leagueRules';

/**
 * Addresses the delivery side refuses outright. `.invalid` is reserved (RFC 2606) and never
 * resolves, so a gateway rejects it permanently: validation cannot know, execution finds out.
 */
const undeliverableDomain = /\.invalid$/i;

/** Invites someone to a league: MemberInvited on its stream, once the invitation can be delivered. */
export const inviteLeagueMember = defineCommand({
  type: 'invite-league-member',
  description: 'Invite a person to an existing league by email.',
  parameters: z.object({
    leagueName: z.string().describe('Name of an existing league'),
    email: z.string().describe('Where the invitation goes'),
    memberName: z.string().optional(),
  }),
  async validate({ leagueName, email }, ctx) {
    const issues = await existingLeagueIssues(ctx, leagueName);
    if (!isEmailAddress(email)) {
      issues.push({ parameter: 'email', rule: 'email-format', message: `${email} is not an email address`, fatal: true });
    }
    return issues;
  },
  async execute({ leagueName, email, memberName }, ctx) {
    if (undeliverableDomain.test(email)) {
      throw new PermanentError('undeliverable_address', `The invitation to ${email} cannot be delivered`);
    }
    await ctx.recordOnce(
      leagueStreamId(leagueName),
      () => [{ type: 'MemberInvited', data: { email, ...(memberName === undefined ? {} : { memberName }) } }],
      { schemaVersionOf: leagueEventCodec.schemaVersionOf },
    );
    return { leagueName, email };
  },
});
