import type { HttpHandler, HttpRequest, HttpResponseInit } from '@azure/functions';
import { appSettingNames, pageSettingNames } from '@commandflow/topology';
import { handled } from '../commandsApi';
import { errorResponse } from '../httpErrors';
import type { IntakeServices } from '../intakeServices';
import { defaultPageSettings, type PageSettings } from './pageSettings';

/** The header the page's own script sends with every write: a cross-site form cannot set it. */
export const pageWriteHeader = 'x-commandflow-page';

/** Where App Service authentication signs a browser user in (Microsoft Entra ID), then sends them back to the page. */
const signInPath = (request: HttpRequest) => `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(new URL(request.url).pathname)}`;

/**
 * Why a request may not see the page, as the API's error response; undefined when it may. With
 * `app-service-auth`, App Service must have authentication on (it strips client-sent principal
 * headers only then) and must have signed this request's user in.
 */
export function pageAccessRefusal(settings: PageSettings, request: HttpRequest): HttpResponseInit | undefined {
  switch (settings.access) {
    case 'open':
      return undefined;
    case 'off':
      return errorResponse(404, 'page_off', `The page is turned off (${pageSettingNames.access}=off)`);
    case 'app-service-auth':
      if (!settings.appServiceAuthEnabled) {
        return errorResponse(
          403,
          'page_needs_app_service_auth',
          `The page is served only behind App Service authentication, which is off for this app (${appSettingNames.appServiceAuthentication} is not true); or set ${pageSettingNames.access}=open where the app is not reachable by others`,
        );
      }
      if (!request.headers.get('x-ms-client-principal-id')) {
        return errorResponse(401, 'sign_in_required', 'Sign in to see the page', { signIn: signInPath(request) });
      }
      return undefined;
    default: {
      const unknownAccess: never = settings.access;
      throw new Error(`Unknown page access ${String(unknownAccess)}`);
    }
  }
}

type Services = () => Promise<IntakeServices>;

const pageSettingsOf = async (services: Services): Promise<PageSettings> => (await services()).page ?? defaultPageSettings;

/** A handler that answers only those the page's access setting lets in. */
export const forPageReaders = (services: Services, handler: HttpHandler): HttpHandler =>
  handled(async (request, context) => pageAccessRefusal(await pageSettingsOf(services), request) ?? handler(request, context));

/** A handler that changes something: only where the deployment allows the page to write, and only from the page's own script. */
export const forPageWriters = (services: Services, handler: HttpHandler): HttpHandler =>
  forPageReaders(services, async (request, context) => {
    if (!(await pageSettingsOf(services)).writes) {
      return errorResponse(403, 'page_read_only', `This deployment does not let the page change anything (${pageSettingNames.writes} is not true)`);
    }
    if (!request.headers.get(pageWriteHeader)) {
      return errorResponse(403, 'missing_page_header', `Writes through the page need the ${pageWriteHeader} header that its script sends`);
    }
    return handler(request, context);
  });
