import type { HttpHandler } from '@azure/functions';
import { sampleCatalogue } from '@commandflow/commands';
import type { FunctionDefinition, HttpFunctionDefinition } from '@commandflow/functions';
import { InMemoryCommandListStore, InMemoryWorkflow, defaultSweepSettings } from '@commandflow/workflow';
import { intakeFunctions } from './intakeFunctions';
import type { IntakeServices } from './intakeServices';

/**
 * Intake's functions over an in-memory workflow, for tests: the sample catalogue, an in-memory
 * command list, the default sweep settings, and whatever `overrides` returns over them.
 */
export function inMemoryIntake(overrides: (workflow: InMemoryWorkflow) => Partial<IntakeServices> = () => ({})) {
  const workflow = new InMemoryWorkflow(sampleCatalogue());
  const services: IntakeServices = {
    workflow: workflow.deps,
    catalogue: workflow.deps.catalogue,
    eventStore: workflow.eventStore,
    listStore: new InMemoryCommandListStore(),
    deadLetters: workflow.queues,
    delivery: workflow.policy,
    sweep: defaultSweepSettings,
    ...overrides(workflow),
  };
  const definitions = intakeFunctions(async () => services);
  const byName = (name: string): FunctionDefinition => {
    const definition = definitions.find((d) => d.name === name);
    if (!definition) throw new Error(`no function ${name}`);
    return definition;
  };
  const http = (name: string): HttpHandler => (byName(name) as HttpFunctionDefinition).options.handler;
  return { workflow, services, definitions, byName, http };
}
