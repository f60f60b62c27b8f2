import { CommandCatalogue } from '@commandflow/workflow';
import { createLeague } from './createLeague';
import { inviteLeagueMember } from './inviteLeagueMember';
import { setLeagueEmail } from './setLeagueEmail';

/** The sample catalogue: the Leagues domain. */
export const leagueCommands = [createLeague, setLeagueEmail, inviteLeagueMember] as const;

export const sampleCatalogue = (): CommandCatalogue => new CommandCatalogue(leagueCommands);
