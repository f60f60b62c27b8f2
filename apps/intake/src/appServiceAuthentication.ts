import { z } from 'zod';
import { readSettings, settingText, type Environment } from '@commandflow/events';
import { appSettingNames } from '@commandflow/topology';

const appServiceAuthenticationEnvironment = z.object({
  [appSettingNames.appServiceAuthentication]: settingText.pipe(z.enum(['true', 'false'], 'must be true or false').optional()),
});

/**
 * `COMMANDFLOW_APP_SERVICE_AUTH`: `true` where infra enabled App Service authentication on intake
 * (its sign-in headers can then be trusted: the API's actor, the page's access); unset or `false` elsewhere.
 */
export function appServiceAuthenticationOn(env: Environment): boolean {
  return readSettings(appServiceAuthenticationEnvironment, env)[appSettingNames.appServiceAuthentication] === 'true';
}
