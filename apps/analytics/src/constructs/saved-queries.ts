import * as athena from 'aws-cdk-lib/aws-athena';
import { Construct } from 'constructs';
import { checkProps } from '@engagement-db/cdk-kit';
import type { AthenaWorkgroup } from './athena-workgroup';

/** A query saved in the workgroup: what the Athena console lists under "Saved queries". */
export interface SavedQuery {
  /** Its title in the console: 1 to 128 characters, unique in the workgroup. */
  readonly name: string;
  /** What it answers: at most 1024 characters. */
  readonly description: string;
  /** The SQL, in Athena's dialect. */
  readonly sql: string;
}

/** The workgroup, the database the queries run in and the queries. */
export interface SavedQueriesProps {
  readonly workgroup: AthenaWorkgroup;
  /** The database an unqualified table name refers to. */
  readonly databaseName: string;
  readonly queries: readonly SavedQuery[];
}

const maxQueryBytes = 262_144;

/**
 * Athena saved (named) queries in a workgroup, one `AWS::Athena::NamedQuery` each, with an id made
 * from the name so that reordering them changes nothing.
 *
 * @example new SavedQueries(stack, 'SavedQueries', { workgroup, databaseName, queries: [{ name, description, sql }] });
 */
export class SavedQueries extends Construct {
  /** The names, in the order given. */
  readonly names: readonly string[];

  constructor(scope: Construct, id: string, props: SavedQueriesProps) {
    super(scope, id);
    const names = props.queries.map((query) => query.name);
    const repeated = names.filter((name, index) => names.indexOf(name) !== index);
    const badNames =
      repeated.length > 0 ? repeated : names.filter((name) => name.length < 1 || name.length > 128);
    // The size of each offending field, by query name.
    const sizes = (size: (query: SavedQuery) => number, valid: (size: number) => boolean) =>
      Object.fromEntries(props.queries.map((q) => [q.name, size(q)]).filter(([, n]) => !valid(n as number)));
    const longDescriptions = sizes(
      (q) => q.description.length,
      (n) => n <= 1024,
    );
    const badSql = sizes(
      (q) => (q.sql.trim() === '' ? 0 : Buffer.byteLength(q.sql)),
      (n) => n >= 1 && n <= maxQueryBytes,
    );
    checkProps(this, [
      {
        prop: 'queries[].name',
        value: badNames,
        valid: badNames.length === 0,
        expected: 'names of 1 to 128 characters, each used once',
        fix: 'give each saved query a short name of its own',
      },
      {
        prop: 'queries[].description length',
        value: longDescriptions,
        valid: Object.keys(longDescriptions).length === 0,
        expected: 'at most 1024 characters',
        fix: 'shorten the descriptions of these queries',
      },
      {
        prop: 'queries[].sql bytes',
        value: badSql,
        valid: Object.keys(badSql).length === 0,
        expected: `1 to ${maxQueryBytes} bytes, not only blanks`,
        fix: 'give these queries their SQL',
      },
    ]);
    for (const query of props.queries) {
      new athena.CfnNamedQuery(this, idOf(query.name), {
        name: query.name,
        description: query.description,
        database: props.databaseName,
        queryString: query.sql,
        workGroup: props.workgroup.workgroupName,
      });
    }
    this.names = names;
  }
}

// "Count by message channel" → "CountByMessageChannel".
function idOf(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
