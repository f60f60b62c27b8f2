import { z } from 'zod';
import { eventCodec } from '@commandflow/events';

/** Events of a league's own stream, `league-<slug>`; each records the command that caused it. */
export const leagueEventCodec = eventCodec({
  LeagueFormed: {
    schemaVersion: 1,
    data: z.object({
      leagueName: z.string().min(1),
      dateIncorporated: z.string().optional(),
      location: z.string().optional(),
    }),
  },
  ContactDetailsChanged: {
    schemaVersion: 1,
    data: z.object({ email: z.string().optional(), twitterHandle: z.string().optional() }),
  },
  LeagueEmailChanged: {
    schemaVersion: 1,
    data: z.object({ newEmailAddress: z.string(), notes: z.string().optional() }),
  },
  MemberInvited: {
    schemaVersion: 1,
    data: z.object({ email: z.string().min(1), memberName: z.string().optional() }),
  },
});

export type LeagueEvent = ReturnType<typeof leagueEventCodec.decode>;

/** `league-<slug>`; the slug is the name in lower case with runs of other characters as `-`. */
export function leagueStreamId(leagueName: string): string {
  return `league-${leagueSlug(leagueName)}`;
}

export function leagueSlug(leagueName: string): string {
  const dashed = leagueName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
  // Runs of separators are single dashes now: trim at most one from each end.
  return dashed.slice(dashed.startsWith('-') ? 1 : 0, dashed.length > 1 && dashed.endsWith('-') ? -1 : undefined).slice(0, 150);
}
