import type { ValidationIssue } from '@commandflow/events';
import type { CommandContext } from '@commandflow/workflow';
import { leagueSlug, leagueStreamId } from './leagueEvents';

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const isEmailAddress = (value: string): boolean => emailPattern.test(value);

/** Fatal unless the name has letters or digits (it names the league's stream). */
export function leagueNameIssues(leagueName: string): ValidationIssue[] {
  if (leagueName.trim() === '') {
    return [{ parameter: 'leagueName', rule: 'league-name-required', message: 'A league name is required', fatal: true }];
  }
  if (leagueSlug(leagueName) === '') {
    return [{ parameter: 'leagueName', rule: 'league-name-letters', message: 'A league name needs letters or digits', fatal: true }];
  }
  return [];
}

/** Whether a league of this name has been formed (its stream exists). */
export async function leagueExists(ctx: CommandContext, leagueName: string): Promise<boolean> {
  return (await ctx.eventStore.readStream(leagueStreamId(leagueName), { toVersion: 1 })).version > 0;
}

/** Fatal unless the name is well-formed and names a league that has been formed. */
export async function existingLeagueIssues(ctx: CommandContext, leagueName: string): Promise<ValidationIssue[]> {
  const issues = leagueNameIssues(leagueName);
  if (issues.length === 0 && !(await leagueExists(ctx, leagueName))) {
    issues.push({ parameter: 'leagueName', rule: 'league-exists', message: `There is no league named ${leagueName}`, fatal: true });
  }
  return issues;
}
