import { ConfigurationError, type Environment } from '@commandflow/runtime';
import { pageSettingNames } from '@commandflow/topology';

/** Who may open the page (`COMMANDFLOW_PAGE_ACCESS`). */
export const pageAccessModes = ['app-service-auth', 'open', 'off'] as const;
export type PageAccess = (typeof pageAccessModes)[number];

export interface PageSettings {
  readonly access: PageAccess;
  readonly writes: boolean;
  /** Whether App Service authentication is on for this app (so its sign-in headers can be trusted). */
  readonly appServiceAuthEnabled: boolean;
}

/** The safe default: signed-in users only, read-only. */
export const defaultPageSettings: PageSettings = { access: 'app-service-auth', writes: false, appServiceAuthEnabled: false };

/** Reads the page's settings; a malformed one stops start-up with a message that names it. */
export function pageSettingsFromEnv(env: Environment): PageSettings {
  const access = env[pageSettingNames.access] || defaultPageSettings.access;
  if (!(pageAccessModes as readonly string[]).includes(access)) {
    throw new ConfigurationError(pageSettingNames.access, `expected one of ${pageAccessModes.join(', ')}, got ${JSON.stringify(access)}`);
  }
  const writes = env[pageSettingNames.writes] || 'false';
  if (writes !== 'true' && writes !== 'false') {
    throw new ConfigurationError(pageSettingNames.writes, `expected true or false, got ${JSON.stringify(writes)}`);
  }
  return {
    access: access as PageAccess,
    writes: writes === 'true',
    appServiceAuthEnabled: (env[pageSettingNames.appServiceAuthEnabled] ?? '').toLowerCase() === 'true',
  };
}
