import type { HttpHandler, HttpMethod } from '@azure/functions';
import { commandPageDocument, type CommandPageDocument } from '@commandflow/command-page';
import type { FunctionDefinition } from '@commandflow/functions';
import { queueNames } from '@commandflow/topology';
import { countCommands } from '../commandCountsApi';
import { getCommand, getCommandEvents, listCommandTypes, listCommands } from '../commandsApi';
import { listDeadLetters, peekDeadLetter, resubmitDeadLetter } from '../deadLettersApi';
import type { IntakeServices } from '../intakeServices';
import { listStalled } from '../sweeperFunctions';
import { forPageReaders, forPageWriters, pageWriteHeader } from './pageAccess';
import { defaultPageSettings } from './pageSettings';

type Services = () => Promise<IntakeServices>;

/**
 * A function of the page. Anonymous at the Functions host, so that a browser needs no function
 * key: every handler is wrapped in the page's own access check (`COMMANDFLOW_PAGE_ACCESS`), which
 * on Azure lets in only users that App Service authentication signed in.
 */
const pageFunction = (name: string, method: HttpMethod, route: string, handler: HttpHandler): FunctionDefinition => ({
  kind: 'http',
  name,
  options: { methods: [method], route, authLevel: 'anonymous', handler },
});

/** The two documents the page can be (read-only or with writes), built once each. */
const documents = new Map<boolean, CommandPageDocument>();
function pageDocument(writes: boolean): CommandPageDocument {
  let document = documents.get(writes);
  if (!document) {
    document = commandPageDocument({ writes, queues: Object.values(queueNames), writeHeader: pageWriteHeader });
    documents.set(writes, document);
  }
  return document;
}

/** GET of any view: the one HTML document; its script draws the view the URL names. */
const servePage =
  (services: Services): HttpHandler =>
  async () => {
    const { html, contentSecurityPolicy } = pageDocument(((await services()).page ?? defaultPageSettings).writes);
    return {
      status: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': contentSecurityPolicy,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'same-origin',
      },
      body: html,
    };
  };

/**
 * The page (`/api/ui`: the command list; `/api/ui/commands/{commandId}`: one command's timeline;
 * `/api/ui/dead-letters`) and the data it reads: the API's own handlers, under `/api/ui/data`.
 */
export function commandPageFunctions(services: Services): FunctionDefinition[] {
  const read = (handler: HttpHandler) => forPageReaders(services, handler);
  const page = read(servePage(services));
  return [
    pageFunction('commandListPage', 'GET', 'ui', page),
    pageFunction('commandTimelinePage', 'GET', 'ui/commands/{commandId}', page),
    pageFunction('deadLettersPage', 'GET', 'ui/dead-letters', page),
    pageFunction('pageListCommands', 'GET', 'ui/data/commands', read(listCommands(services))),
    pageFunction('pageCountCommands', 'GET', 'ui/data/command-counts', read(countCommands(services))),
    pageFunction('pageGetCommand', 'GET', 'ui/data/commands/{commandId}', read(getCommand(services))),
    pageFunction('pageGetCommandEvents', 'GET', 'ui/data/commands/{commandId}/events', read(getCommandEvents(services))),
    pageFunction('pageListCommandTypes', 'GET', 'ui/data/command-types', read(listCommandTypes(services))),
    pageFunction('pageListDeadLetters', 'GET', 'ui/data/queues/{queue}/dead-letters', read(listDeadLetters(services))),
    pageFunction('pageListStalledCommands', 'GET', 'ui/data/stalled-commands', read(listStalled(services))),
    pageFunction('pagePeekDeadLetter', 'GET', 'ui/data/queues/{queue}/dead-letters/{sequenceNumber}', read(peekDeadLetter(services))),
    pageFunction(
      'pageResubmitDeadLetter',
      'POST',
      'ui/data/queues/{queue}/dead-letters/{sequenceNumber}/resubmit',
      forPageWriters(services, resubmitDeadLetter(services)),
    ),
  ];
}
