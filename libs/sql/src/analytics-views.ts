import * as fs from 'node:fs';
import * as path from 'node:path';
import { conversationTable, eventTable, glueDatabaseName } from '@engagement-db/canonical-model';
import { AnalyticsViewError } from './errors';
import { quoteIdentifier } from './internal/lake-views';
import { SqlTokenKind, tokenizeSql } from './internal/sql-tokens';
import { type AnalyticsViewName, parseColumnList, viewColumnLists } from './internal/view-columns';

/** A column of an analytics view, its type as Athena names it (`varchar`, `bigint`, `map(varchar,varchar)`). */
export interface AnalyticsViewColumn {
  readonly name: string;
  readonly type: string;
}

/** One analytics view: its name, what a row is, its Athena SQL, the views it reads and its columns. */
export interface AnalyticsView {
  /** The view's name, such as `email_message_status`. */
  readonly name: string;
  /** What one row is: the file's leading comment, as plain text. */
  readonly description: string;
  /** The `.sql` file's text: the leading comment and one SELECT (Athena/Trino dialect). */
  readonly sql: string;
  /** The analytics views this one reads. */
  readonly dependsOn: readonly string[];
  readonly columns: readonly AnalyticsViewColumn[];
}

/** The Glue names a view's SQL is written against. */
const defaultNames = {
  database: glueDatabaseName,
  eventsTable: eventTable.glueName,
  conversationsTable: conversationTable.glueName,
} as const;

/**
 * The folder of the `.sql` files, found through the package so that the built library, its sources
 * and a bundle of a program that uses it (which keeps `@engagement-db/sql` as a dependency) all read
 * the same files.
 */
function viewsFolder(): string {
  return path.join(path.dirname(require.resolve('@engagement-db/sql/package.json')), 'views');
}

function loadViews(): AnalyticsView[] {
  const folder = viewsFolder();
  const names = Object.keys(viewColumnLists) as AnalyticsViewName[];
  const views: AnalyticsView[] = [];
  for (const name of names) {
    const file = path.join(folder, `${name}.sql`);
    let sql: string;
    try {
      sql = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new AnalyticsViewError(
        `cannot read the SQL of the analytics view ${name} at ${file}: ${(error as Error).message}; ` +
          'the views/ folder ships with @engagement-db/sql, reinstall the package.',
        { cause: error },
      );
    }
    const dependsOn = referencedViews(sql, names).filter((other) => other !== name);
    const missing = dependsOn.filter((other) => !views.some((view) => view.name === other));
    if (missing.length > 0) {
      throw new AnalyticsViewError(
        `the analytics view ${name} reads ${missing.join(', ')}, which come after it in the view list; ` +
          'list every view after the views it reads.',
      );
    }
    views.push({
      name,
      description: leadingComment(sql),
      sql,
      dependsOn,
      columns: parseColumnList(viewColumnLists[name]),
    });
  }
  return views;
}

/** The text of the comment lines that open the SQL, without their `--` markers, as one paragraph. */
function leadingComment(sql: string): string {
  const lines: string[] = [];
  for (const line of sql.split('\n')) {
    const match = /^\s*--\s?(.*)$/.exec(line);
    if (!match) break;
    lines.push(match[1].trim());
  }
  return lines.join(' ').trim();
}

function referencedViews(sql: string, names: readonly string[]): string[] {
  const referenced = new Set<string>();
  for (const token of tokenizeSql(sql)) {
    const name = identifierOf(token.kind, token.text);
    if (name !== undefined && names.includes(name)) referenced.add(name);
  }
  return [...referenced];
}

function identifierOf(kind: SqlTokenKind, text: string): string | undefined {
  if (kind === SqlTokenKind.word) return text.toLowerCase();
  if (kind === SqlTokenKind.quotedIdentifier && text.startsWith('"'))
    return text.slice(1, -1).replaceAll('""', '"');
  return undefined;
}

/**
 * Every analytics view, in dependency order (a view comes after the views it reads). One `.sql` file
 * each, shared by Athena (the analytics app creates them) and the local query engine.
 *
 * @example
 * for (const view of analyticsViews) console.log(view.name, view.columns.map((c) => c.name).join(', '));
 */
export const analyticsViews: readonly AnalyticsView[] = loadViews();

/**
 * The Athena DDL that creates or replaces a view: `CREATE OR REPLACE VIEW "<database>"."<name>" AS
 * <select>`, the SELECT being the view's SQL without its leading comment. When the Glue names differ
 * from the defaults (`engagementdb-glue-db`, `engagementdb-events-table`,
 * `engagementdb-conversations-table`), quoted identifiers holding a default name are replaced token by
 * token, so string literals and comments are never touched.
 *
 * @example
 * createViewStatement(view, { database: 'engagement_prod' });
 * // CREATE OR REPLACE VIEW "engagement_prod"."email_message_status" AS
 * // WITH messages AS ( ... FROM "engagement_prod"."engagementdb-events-table" ...
 */
export function createViewStatement(
  view: AnalyticsView,
  names: { database?: string; eventsTable?: string; conversationsTable?: string } = {},
): string {
  const chosen = { ...defaultNames, ...definedNames(names) };
  const replacements = new Map<string, string>([
    [quoteIdentifier(defaultNames.database), quoteIdentifier(chosen.database)],
    [quoteIdentifier(defaultNames.eventsTable), quoteIdentifier(chosen.eventsTable)],
    [quoteIdentifier(defaultNames.conversationsTable), quoteIdentifier(chosen.conversationsTable)],
  ]);
  const select = tokenizeSql(selectOf(view.sql))
    .map((token) =>
      token.kind === SqlTokenKind.quotedIdentifier
        ? (replacements.get(token.text) ?? token.text)
        : token.text,
    )
    .join('');
  return `CREATE OR REPLACE VIEW ${quoteIdentifier(chosen.database)}.${quoteIdentifier(view.name)} AS\n${select}`;
}

function definedNames(names: Record<string, unknown>): Partial<Record<keyof typeof defaultNames, string>> {
  const defined: Partial<Record<keyof typeof defaultNames, string>> = {};
  for (const key of Object.keys(defaultNames) as (keyof typeof defaultNames)[]) {
    const value = names[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new AnalyticsViewError(
        `createViewStatement: names.${key} must be a non-empty Glue name, got ${JSON.stringify(value)}; ` +
          `leave it out for the default "${defaultNames[key]}".`,
      );
    }
    defined[key] = value;
  }
  return defined;
}

/** The SQL without its leading comment lines and surrounding blank space: the SELECT itself. */
export function selectOf(sql: string): string {
  const lines = sql.split('\n');
  const first = lines.findIndex((line) => !/^\s*(--.*)?$/.test(line));
  return lines.slice(first).join('\n').trim();
}
