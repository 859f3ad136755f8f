// What the AthenaView construct passes to its custom resource and the handler reads back: one
// definition for both sides. No CDK and no AWS SDK here: the handler bundle imports this file.
import { createHash } from 'node:crypto';

/** The properties of a `Custom::AthenaView` resource (a type, so that it is also a plain record). */
export type AthenaViewProperties = {
  /** The Glue database of the view. */
  readonly Database: string;
  /** The view's name in the database. */
  readonly ViewName: string;
  /** `CREATE OR REPLACE VIEW "<Database>"."<ViewName>" AS ...`, in Athena's dialect. */
  readonly Statement: string;
  /** {@link sqlHashOf} the statement: an edited view changes it, so CloudFormation updates the resource. */
  readonly SqlHash: string;
  /** The workgroup the statements run in (its enforced settings say where results go). */
  readonly WorkGroup: string;
};

/**
 * The hash of a view's statement, as the resource property `SqlHash`.
 *
 * @example sqlHashOf('CREATE OR REPLACE VIEW "db"."v" AS SELECT 1') // 64 hex digits
 */
export function sqlHashOf(statement: string): string {
  return createHash('sha256').update(statement, 'utf8').digest('hex');
}

/**
 * A double-quoted Athena identifier. The database name holds hyphens, which Athena reads only quoted.
 *
 * @example quotedName('engagementdb-glue-db', 'email_message_status') // '"engagementdb-glue-db"."email_message_status"'
 */
export function quotedName(database: string, viewName: string): string {
  const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
  return `${quote(database)}.${quote(viewName)}`;
}

/**
 * The physical id of a view's resource: its database and name, stable while they stay the same, so
 * an update replaces the view in place and CloudFormation deletes (drops) only a view that was
 * renamed or moved.
 *
 * @example physicalIdOf('engagementdb-glue-db', 'email_message_status') // 'engagementdb-glue-db/email_message_status'
 */
export function physicalIdOf(database: string, viewName: string): string {
  return `${database}/${viewName}`;
}

/** The view a physical id names, or undefined when the id is not one of {@link physicalIdOf}. */
export function viewOfPhysicalId(
  physicalId: string | undefined,
): { database: string; viewName: string } | undefined {
  const match = /^([a-z0-9_-]{1,255})\/([a-z0-9_]{1,255})$/.exec(physicalId ?? '');
  return match === null ? undefined : { database: match[1], viewName: match[2] };
}

/** Names Glue and Athena accept for a database (Glue keeps them in lower case). */
export const databaseNamePattern = /^[a-z0-9_-]{1,255}$/;
/** Names Athena accepts for a view: lower-case letters, digits and underscores. */
export const viewNamePattern = /^[a-z0-9_]{1,255}$/;

/**
 * The start every view statement must have: it creates exactly the view the resource names.
 *
 * @example createViewPrefixOf('db', 'v') // 'CREATE OR REPLACE VIEW "db"."v" AS'
 */
export function createViewPrefixOf(database: string, viewName: string): string {
  return `CREATE OR REPLACE VIEW ${quotedName(database, viewName)} AS`;
}

/**
 * The properties of the resource that creates one view.
 *
 * @example athenaViewPropertiesOf({ database: 'db', viewName: 'v', statement: 'CREATE OR REPLACE VIEW "db"."v" AS SELECT 1', workGroup: 'wg' })
 */
export function athenaViewPropertiesOf(view: {
  readonly database: string;
  readonly viewName: string;
  readonly statement: string;
  readonly workGroup: string;
}): AthenaViewProperties {
  return {
    Database: view.database,
    ViewName: view.viewName,
    Statement: view.statement,
    SqlHash: sqlHashOf(view.statement),
    WorkGroup: view.workGroup,
  };
}
