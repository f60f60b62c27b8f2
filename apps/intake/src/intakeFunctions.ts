import type { HttpHandler, HttpMethod } from '@azure/functions';
import { connectionNames, databaseName, eventsContainer, leasePrefixes, leasesContainer, queueNames } from '@commandflow/topology';
import { PoisonMessageError, isValidationError } from '@commandflow/events';
import { queueDeliveryOf, startInvocationStepSpan, type FunctionDefinition } from '@commandflow/functions';
import { eventFromDocument } from '@commandflow/cosmos';
import { measureInvocation } from '@commandflow/usage';
import { deliverQueueMessage, projectToCommandList } from '@commandflow/workflow';
import { getCommandCost } from './commandCostApi';
import { countCommands } from './commandCountsApi';
import { getCommand, getCommandEvents, listCommandTypes, listCommands, submitCommand } from './commandsApi';
import { listDeadLetters, peekDeadLetter, resubmitDeadLetter } from './deadLettersApi';
import { submitFromEventGrid } from './eventGridSubmit';
import type { IntakeServices } from './intakeServices';
import { commandPageFunctions } from './ui/pageFunctions';
import { listStalled, runSweep, sweeperTimer } from './sweeperFunctions';
import { defaultSweepSchedule } from '@commandflow/runtime';

/** An HTTP function of the API: never anonymous (callers present a function key, or App Service auth). */
const httpFunction = (name: string, method: HttpMethod, route: string, handler: HttpHandler): FunctionDefinition => ({
  kind: 'http',
  name,
  options: { methods: [method], route, authLevel: 'function', handler },
});

/** What intake's registrations need before its services exist. */
export interface IntakeRegistration {
  /** The sweeper's timer schedule (NCRONTAB with seconds, `COMMANDFLOW_SWEEP_SCHEDULE`). Default every minute. */
  readonly sweepSchedule?: string;
}

/**
 * The intake app: submit over HTTP, Event Grid (directly, or through the `incoming` queue that
 * the topic delivers to), status queries, the command-list projector on the change feed, and the
 * stalled-command sweeper on a timer (and over HTTP).
 */
export function intakeFunctions(services: () => Promise<IntakeServices>, { sweepSchedule = defaultSweepSchedule }: IntakeRegistration = {}): FunctionDefinition[] {
  return [
    httpFunction('submitCommand', 'POST', 'commands/{commandType}', submitCommand(services)),
    httpFunction('listCommands', 'GET', 'commands', listCommands(services)),
    httpFunction('getCommand', 'GET', 'commands/{commandId}', getCommand(services)),
    httpFunction('getCommandEvents', 'GET', 'commands/{commandId}/events', getCommandEvents(services)),
    httpFunction('getCommandCost', 'GET', 'commands/{commandId}/cost', getCommandCost(services)),
    httpFunction('listCommandTypes', 'GET', 'command-types', listCommandTypes(services)),
    httpFunction('countCommands', 'GET', 'command-counts', countCommands(services)),
    httpFunction('listDeadLetters', 'GET', 'queues/{queue}/dead-letters', listDeadLetters(services)),
    httpFunction('peekDeadLetter', 'GET', 'queues/{queue}/dead-letters/{sequenceNumber}', peekDeadLetter(services)),
    httpFunction('resubmitDeadLetter', 'POST', 'queues/{queue}/dead-letters/{sequenceNumber}/resubmit', resubmitDeadLetter(services)),
    httpFunction('listStalledCommands', 'GET', 'stalled-commands', listStalled(services)),
    httpFunction('runSweep', 'POST', 'sweeps', runSweep(services)),
    ...commandPageFunctions(services),
    {
      kind: 'eventGrid',
      name: 'submitFromEventGrid',
      options: {
        handler: async (event, context) => {
          const intake = await services();
          const span = startInvocationStepSpan('log', context);
          const outcome = await measureInvocation(
            intake.meter,
            { step: 'log', messagesReceived: 0 },
            () => span.record(async () => submitFromEventGrid(intake, event, 'eventgrid', span.traceparent)),
            (logged) => logged.commandId,
          );
          context.log(`Event ${event.id} → command ${outcome.commandId} (${outcome.created ? 'logged' : 'already logged'})`);
        },
      },
    },
    {
      kind: 'serviceBusQueue',
      name: 'submitFromIncomingQueue',
      options: {
        queueName: queueNames.incoming,
        connection: connectionNames.serviceBus,
        handler: async (message, context) => {
          const intake = await services();
          const span = startInvocationStepSpan('log', context);
          const received = { ...queueDeliveryOf(message, context), ...(span.traceparent ? { traceparent: span.traceparent } : {}) };
          // An event that is not a command event can never be logged: dead-lettered, with why.
          const report = await measureInvocation(
            intake.meter,
            { step: 'log', messagesReceived: 1 },
            () =>
              span.record(
                () =>
                  deliverQueueMessage(intake.workflow, intake.delivery, queueNames.incoming, received, () =>
                    submitFromEventGrid(intake, message, 'eventgrid', received.traceparent).catch((error: unknown) => {
                      throw isValidationError(error) ? new PoisonMessageError(error.code, error.message) : error;
                    }),
                  ),
                (done) => done.outcome,
              ),
            (done) => done.outcome?.commandId,
          );
          context.log(`Incoming event ${received.messageId}: ${report.verdict.action}${report.outcome ? ` → command ${report.outcome.commandId}` : ''}`);
        },
      },
    },
    {
      kind: 'cosmosDBChangeFeed',
      name: 'projectCommandList',
      options: {
        connection: connectionNames.cosmos,
        databaseName,
        containerName: eventsContainer.name,
        leaseContainerName: leasesContainer.name,
        leaseContainerPrefix: leasePrefixes.commandListProjector,
        startFromBeginning: true,
        // Unbounded (-1): once a change-feed trigger's retries run out, the host checkpoints past the
        // batch and the read model never sees those events. Retrying forever (at most once a minute)
        // holds the lease on that batch until the cause is fixed; nothing is skipped.
        retry: { strategy: 'exponentialBackoff', maxRetryCount: -1, minimumInterval: 1_000, maximumInterval: 60_000 },
        handler: async (documents, context) => {
          const { listStore, eventStore } = await services();
          const events = (documents as Record<string, unknown>[]).map(eventFromDocument);
          try {
            const { setAside, ...counts } = await projectToCommandList({ listStore, eventStore }, events);
            if (setAside.length > 0) context.error(`Set aside ${setAside.length} events that cannot be decoded; the rest were projected`, setAside);
            context.log(`Projected ${events.length} events`, counts);
          } catch (error) {
            // A store failure: rethrown, so the retry policy hands the batch over again; never skipped.
            const streams = [...new Set(events.map((event) => event.streamId))].join(', ');
            context.error(`Projecting ${events.length} events of ${streams} failed`, error);
            throw error;
          }
        },
      },
    },
    sweeperTimer(services, sweepSchedule),
  ];
}

