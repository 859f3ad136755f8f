// What every CDK app's tests do the same way: check that each cdk-nag acknowledgement hides a
// finding the pack reports, read what each IAM role of a template is granted, and keep their
// temporary folders.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { InvalidConfigurationError } from '../src/index';

/** One cdk-nag acknowledgement: the construct it is on, the finding id and the reason. */
export interface NagAcknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/**
 * Every cdk-nag acknowledgement under a construct.
 *
 * @example nagAcknowledgementsIn(app).length // 9
 */
export function nagAcknowledgementsIn(root: IConstruct): NagAcknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/**
 * The acknowledgements under a construct that hide nothing: the AwsSolutions pack, its own
 * acknowledgement check turned off, reports no such finding on that construct or below it.
 *
 * @example expect(unreportedNagAcknowledgements(app)).toEqual([]);
 */
export function unreportedNagAcknowledgements(root: IConstruct): NagAcknowledgement[] {
  const unacknowledging = new AwsSolutionsChecks();
  Object.defineProperty(unacknowledging, 'isAcknowledged', { value: () => false });
  const findings = unacknowledging.validateScope(root).violations;
  return nagAcknowledgementsIn(root).filter(
    (acknowledgement) =>
      !findings.some(
        (finding) =>
          finding.ruleName === acknowledgement.id &&
          finding.violatingResources.some(
            (resource) =>
              resource.constructPath === acknowledgement.path ||
              resource.constructPath?.startsWith(`${acknowledgement.path}/`),
          ),
      ),
  );
}

/**
 * What the AwsSolutions pack finds under a construct, acknowledgements applied: one line per finding (its rule
 * and the construct paths), and one more when the pack does not report success; empty when it passes.
 *
 * @example expect(nagFindingsIn(app)).toEqual([]);
 */
export function nagFindingsIn(root: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(root);
  const findings = report.violations.map(
    (violation) =>
      `${violation.ruleName} at ${violation.violatingResources.map((resource) => resource.constructPath)}`,
  );
  return report.success || findings.length > 0 ? findings : ['the AwsSolutions pack did not report success'];
}

/** What one role of a template is granted. */
export interface RolePermissions {
  /** The statements of its trust policy. */
  readonly trust: unknown;
  /** Its managed policy ARNs. */
  readonly managed: unknown;
  /** The statements of every `AWS::IAM::Policy` attached to it, in template order. */
  readonly statements: Record<string, unknown>[];
}

type TemplateResource = { Type: string; Properties: Record<string, unknown> };

/**
 * Every `AWS::IAM::Role` of a synthesized template, by logical id, with what it is granted. Throws
 * when a role has inline policies or properties beyond a description, or a policy is attached to
 * several roles, so an assertion on the result sees every grant.
 *
 * @example expect(rolePermissionsOf(Template.fromStack(stack).toJSON())).toEqual({ [roleId]: { trust, managed: undefined, statements } });
 */
export function rolePermissionsOf(template: {
  Resources?: Record<string, TemplateResource>;
}): Record<string, RolePermissions> {
  const resources = Object.entries(template.Resources ?? {});
  const permissions: Record<
    string,
    { trust: unknown; managed: unknown; statements: Record<string, unknown>[] }
  > = {};
  for (const [id, resource] of resources) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    const { AssumeRolePolicyDocument, ManagedPolicyArns } = resource.Properties;
    const extra = Object.keys(resource.Properties).filter(
      (key) => !['AssumeRolePolicyDocument', 'ManagedPolicyArns', 'Description'].includes(key),
    );
    if (extra.length > 0) {
      throw new Error(
        `rolePermissionsOf: the role ${id} has ${extra.join(', ')}; expected grants in AWS::IAM::Policy resources only.`,
      );
    }
    permissions[id] = {
      trust: (AssumeRolePolicyDocument as { Statement: unknown }).Statement,
      managed: ManagedPolicyArns,
      statements: [],
    };
  }
  for (const [id, resource] of resources) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    const roles = resource.Properties.Roles as { Ref: string }[];
    if (roles.length !== 1 || permissions[roles[0].Ref] === undefined) {
      throw new Error(
        `rolePermissionsOf: the policy ${id} is attached to ${JSON.stringify(roles)}; expected one role of the template.`,
      );
    }
    const document = resource.Properties.PolicyDocument as { Statement: Record<string, unknown>[] };
    permissions[roles[0].Ref].statements.push(...document.Statement);
  }
  return permissions;
}

/** Temporary folders for an app's tests: cloud assemblies and app folders, removed together. */
export interface TestFolders {
  /** A cloud assembly folder under the system temp folder. */
  outdir(): string;
  /**
   * An app folder of its own: the app's package.json and, when given, a config.json, so that a
   * developer's own `apps/<app>/config.json` never changes what a test synthesizes.
   */
  projectDirectory(config?: Record<string, unknown>): string;
  /** Removes every folder made so far; call it in `afterAll`. */
  removeAll(): void;
}

/**
 * The temporary folders of one app's tests.
 *
 * @example const folders = testFoldersOf('analytics', join(__dirname, '..')); afterAll(() => folders.removeAll());
 */
export function testFoldersOf(app: string, projectDirectory: string): TestFolders {
  const made: string[] = [];
  const folder = (kind: string) => {
    const path = mkdtempSync(join(tmpdir(), `${app}-${kind}-`));
    made.push(path);
    return path;
  };
  return {
    outdir: () => folder('cdk-out'),
    projectDirectory(config) {
      const directory = folder('app');
      copyFileSync(join(projectDirectory, 'package.json'), join(directory, 'package.json'));
      if (config !== undefined) writeFileSync(join(directory, 'config.json'), JSON.stringify(config));
      return directory;
    },
    removeAll() {
      for (const path of made.splice(0)) rmSync(path, { recursive: true, force: true });
    },
  };
}

/**
 * The problems an InvalidConfigurationError lists, from a load that must refuse its configuration;
 * throws when the load succeeds or fails otherwise.
 *
 * @example expect(configurationProblemsOf(() => load({ region: 'mars-1' }))).toEqual([...])
 */
export function configurationProblemsOf(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof InvalidConfigurationError && error.name === 'InvalidConfigurationError')
      return error.problems;
    throw error;
  }
  throw new Error('expected an InvalidConfigurationError, and the configuration loaded');
}

/**
 * What a constructor throws, for exact-message assertions; throws when it does not.
 *
 * @example expect(thrownBy(() => new EngagementBuckets(stack, 'B', { errorRetentionDays: 0 })).message).toBe('...');
 */
export function thrownBy(create: () => unknown): Error {
  try {
    create();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the constructor to throw');
}
