import type { ValidationIssue } from '@commandflow/events';
import type { CommandContext } from '@commandflow/workflow';
import { leagueSlug, leagueStreamId } from './leagueEvents';

/**
 * `local@domain.tld`: one `@` with text before it, a dot inside the domain, no whitespace. Checked
 * by scanning, in linear time: the value is untrusted and may be long.
 */
export function isEmailAddress(value: string): boolean {
  const at = value.indexOf('@');
  if (at < 1 || value.indexOf('@', at + 1) !== -1 || /\s/.test(value)) return false;
  const domain = value.slice(at + 1);
  const dot = domain.indexOf('.', 1);
  return dot !== -1 && dot < domain.length - 1;
}

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
