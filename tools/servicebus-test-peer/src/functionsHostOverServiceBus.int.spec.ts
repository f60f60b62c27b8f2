import { InvocationContext } from '@azure/functions';
import { ServiceBusClient, type ServiceBusReceivedMessage, type ServiceBusReceiver } from '@azure/service-bus';
import { commandStreamId, workflowEventCodec } from '@commandflow/events';
import { InMemoryEventStore } from '@commandflow/event-store';
import { executorFunctions } from '@commandflow/executor';
import type { ServiceBusQueueFunctionDefinition, StepServices } from '@commandflow/functions';
import { commandState } from '@commandflow/projections';
import { ServiceBusMessageSender } from '@commandflow/service-bus';
import { validatorFunctions } from '@commandflow/validator';
import { defaultDeliveryPolicy, logCommand, type WorkflowDependencies } from '@commandflow/workflow';
import { expectBackOff, registerTeamCatalogue, retryMessageIds } from '@commandflow/workflow/testing';
import { randomUUID } from 'node:crypto';
import { startServiceBusTestPeer, type ServiceBusTestPeer } from './serviceBusTestPeer';

jest.setTimeout(60_000);

/**
 * The apps' Service Bus functions as the Functions host runs them on Azure, over the real SDK and
 * the test peer: the host receives in peek-lock, hands the body and its trigger metadata (delivery
 * count from 1, message id, application properties) to the function, completes the message when
 * it returns and abandons it when it throws. Retries are scheduled messages sent through Service Bus.
 */
describe('the delivery policy under the Functions host on Service Bus', () => {
  const registry = { validations: 0, failNextValidations: 0 };
  let peer: ServiceBusTestPeer;
  let client: ServiceBusClient;
  let sender: ServiceBusMessageSender;
  let services: StepServices;
  let functions: ServiceBusQueueFunctionDefinition[];
  let receivers: ServiceBusReceiver[];

  beforeAll(async () => {
    peer = await startServiceBusTestPeer({ maxDeliveryCount: 4 });
    client = new ServiceBusClient(peer.connectionString);
    sender = new ServiceBusMessageSender(client);
    const workflow: WorkflowDependencies = {
      eventStore: new InMemoryEventStore(),
      sender,
      catalogue: registerTeamCatalogue(registry).catalogue,
      now: () => new Date(),
      newId: randomUUID,
    };
    services = { workflow, delivery: { ...defaultDeliveryPolicy, maxAttempts: 4, baseDelayMs: 100 } };
    functions = [...validatorFunctions(async () => services), ...executorFunctions(async () => services)] as ServiceBusQueueFunctionDefinition[];
    receivers = functions.map((definition) => client.createReceiver(definition.options.queueName, { receiveMode: 'peekLock' }));
  });
  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await sender.close();
    await client.close();
    await peer.close();
  });

  /** One round of the Functions host: every function receives what is due and settles it as the host does. */
  async function hostRound(): Promise<void> {
    await Promise.all(
      functions.map(async (definition, index) => {
        const receiver = receivers[index] as ServiceBusReceiver;
        for (const message of await receiver.receiveMessages(10, { maxWaitTimeInMs: 50 })) await invoke(definition, receiver, message);
      }),
    );
  }

  async function invoke(definition: ServiceBusQueueFunctionDefinition, receiver: ServiceBusReceiver, message: ServiceBusReceivedMessage): Promise<void> {
    const context = new InvocationContext({
      functionName: definition.name,
      triggerMetadata: {
        messageId: message.messageId,
        deliveryCount: (message.deliveryCount ?? 0) + 1,
        subject: message.subject,
        correlationId: message.correlationId,
        applicationProperties: message.applicationProperties,
      },
    });
    try {
      await definition.options.handler(message.body, context);
      await receiver.completeMessage(message);
    } catch {
      await receiver.abandonMessage(message);
    }
  }

  async function runToTerminal(parameters: Record<string, string>) {
    const { commandId } = await logCommand(services.workflow, { commandType: 'register-team', parameters, actor: 'tester', source: 'servicebus' });
    const deadline = Date.now() + 30_000;
    for (;;) {
      await hostRound();
      const state = commandState(workflowEventCodec.decodeAll((await services.workflow.eventStore.readStream(commandStreamId(commandId))).events));
      if (state.status === 'Completed' || state.status === 'Failed' || state.status === 'Invalid') return { commandId, state };
      if (Date.now() > deadline) throw new Error(`Command ${commandId} is still ${state.status}`);
    }
  }

  it('retries a validate step that throws transiently three times, then completes the command', async () => {
    registry.failNextValidations = 3;
    registry.validations = 0;
    const { commandId, state } = await runToTerminal({ teamName: 'Owls' });
    expect(state.status).toBe('Completed');
    expect(registry.validations).toBe(4);
    expect(peer.history('validate').filter((m) => m.messageId?.startsWith(commandId)).map((m) => m.messageId)).toEqual(
      retryMessageIds(commandId, 'validate', 4),
    );
  });

  it('ends a command whose validate step always throws Failed after the last delivery, and says why', async () => {
    registry.failNextValidations = Infinity;
    const { state } = await runToTerminal({ teamName: 'Larks' });
    registry.failNextValidations = 0;
    expect(state).toMatchObject({ status: 'Failed', failure: { step: 'validate', code: 'registry_down', attempts: 4 } });
  });

  it('backs off a transiently failing execute step through scheduled Service Bus messages, then gives up', async () => {
    const { commandId, state } = await runToTerminal({ teamName: 'Swifts', outcome: 'transient' });
    expect(state).toMatchObject({ status: 'Failed', failure: { step: 'execute', code: 'registry_busy', attempts: 4 } });
    const sent = peer.history('execute').filter((m) => m.messageId?.startsWith(commandId));
    expect(sent.map((m) => m.messageId)).toEqual(retryMessageIds(commandId, 'execute', 4));
    expect(sent.map((m) => m.applicationProperties['attempt'])).toEqual([undefined, 2, 3, 4]);
    // Scheduled after the back-off from when the step decided, a few ms before the peer stored the copy.
    expectBackOff(sent.map((m) => m.visibleAt.getTime() - m.enqueuedAt.getTime()), services.delivery, 50);
  });

  it('dead-letters a poison message after the deliveries Service Bus allows (the Functions host cannot give a reason)', async () => {
    await sender.send('validate', { messageId: 'poison-1', body: { nope: true } });
    const deadline = Date.now() + 30_000;
    while (peer.deadLetters('validate').length === 0 && Date.now() < deadline) await hostRound();
    expect(peer.deadLetters('validate')).toEqual([expect.objectContaining({ messageId: 'poison-1', deadLetterReason: 'MaxDeliveryCountExceeded' })]);
  });
});
