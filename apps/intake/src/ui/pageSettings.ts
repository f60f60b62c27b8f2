import { z } from 'zod';
import { readSettings, settingText, type Environment } from '@commandflow/events';
import { appServiceAuthenticationOn } from '../appServiceAuthentication';
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

const pageEnvironment = z.object({
  [pageSettingNames.access]: settingText.pipe(z.enum(pageAccessModes, `must be one of ${pageAccessModes.join(', ')}`).default(defaultPageSettings.access)),
  [pageSettingNames.writes]: settingText.pipe(z.enum(['true', 'false'], 'must be true or false').default('false')),
});

/** Reads the page's settings; a malformed one stops start-up with a message that names it. */
export function pageSettingsFromEnv(env: Environment): PageSettings {
  const settings = readSettings(pageEnvironment, env);
  return {
    access: settings[pageSettingNames.access],
    writes: settings[pageSettingNames.writes] === 'true',
    appServiceAuthEnabled: appServiceAuthenticationOn(env),
  };
}
