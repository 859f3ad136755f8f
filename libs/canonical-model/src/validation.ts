import { type ColumnDefinition, type RowOf, type TableSchema } from './columns';
import { type CanonicalConversation, conversationTable } from './conversation-table';
import { type CanonicalEvent, eventTable } from './event-table';
import type { Failure, Result } from './result';

// Every validation failure is of this kind: the value breaks the canonical schema.
type InvalidRecord = Failure<'invalid-record'>;

interface Issue {
  readonly path: string;
  readonly message: string;
}

/**
 * Checks a value against a table's columns: known keys only, each value of its column's kind and,
 * for a closed set, one of its values, required columns present, integers safe. Gives the row with
 * every column present (absent optional columns as null), or one failure whose message lists every
 * issue with its path and whose `path` is the first offending field. Never throws.
 *
 * @example validateRow(canonicalTables[table], JSON.parse(line))
 */
export function validateRow<Columns extends readonly ColumnDefinition[]>(
  table: TableSchema<Columns>,
  value: unknown,
): Result<RowOf<Columns>, InvalidRecord> {
  if (!isPlainObject(value)) {
    return invalid([{ path: '$', message: `expected an object, got ${describe(value)}` }]);
  }
  const issues: Issue[] = [];
  const known = new Set<string>(table.columns.map((c) => c.name));
  for (const key of Object.keys(value)) {
    if (!known.has(key)) issues.push({ path: `$.${key}`, message: `unknown field for ${table.glueName}` });
  }
  const row: Record<string, unknown> = {};
  for (const column of table.columns) {
    const field = value[column.name];
    const path = `$.${column.name}`;
    if (field === undefined || field === null) {
      if (column.required) issues.push({ path, message: `is required (${column.kind})` });
      row[column.name] = null;
      continue;
    }
    const problem = kindProblem(column, field);
    if (problem)
      issues.push({ path: problem.path ? `${path}${problem.path}` : path, message: problem.message });
    row[column.name] = field;
  }
  return issues.length > 0 ? invalid(issues) : { ok: true, value: row as RowOf<Columns> };
}

/** {@link validateRow} for the events table. */
export function validateCanonicalEvent(value: unknown): Result<CanonicalEvent, InvalidRecord> {
  return validateRow(eventTable, value);
}

/** {@link validateRow} for the conversations table. */
export function validateCanonicalConversation(value: unknown): Result<CanonicalConversation, InvalidRecord> {
  return validateRow(conversationTable, value);
}

function invalid(issues: readonly Issue[]): { ok: false; error: InvalidRecord } {
  return {
    ok: false,
    error: {
      kind: 'invalid-record',
      message: issues.map((issue) => `${issue.path} ${issue.message}`).join('; '),
      path: issues[0].path,
    },
  };
}

function kindProblem(
  column: ColumnDefinition,
  field: unknown,
): { path?: string; message: string } | undefined {
  switch (column.kind) {
    case 'string':
      if (typeof field !== 'string') return { message: `expected a string, got ${describe(field)}` };
      return column.values === undefined || column.values.includes(field)
        ? undefined
        : { message: `expected one of ${column.values.join(', ')}, got ${describe(field)}` };
    case 'bigint':
      return Number.isSafeInteger(field)
        ? undefined
        : { message: `expected an integer (epoch milliseconds), got ${describe(field)}` };
    case 'array<string>': {
      if (!Array.isArray(field)) return { message: `expected an array of strings, got ${describe(field)}` };
      const index = field.findIndex((item) => typeof item !== 'string');
      return index < 0
        ? undefined
        : { path: `[${index}]`, message: `expected a string, got ${describe(field[index])}` };
    }
    case 'map<string,string>': {
      if (!isPlainObject(field)) return { message: `expected an object of strings, got ${describe(field)}` };
      for (const [key, item] of Object.entries(field)) {
        if (typeof item !== 'string')
          return { path: `.${key}`, message: `expected a string, got ${describe(item)}` };
      }
      return undefined;
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
