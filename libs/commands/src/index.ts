export * from './leagueEvents';
export * from './createLeague';
export * from './setLeagueEmail';
export * from './inviteLeagueMember';
export * from './catalogue';
