import { DuckDBInstance } from '@duckdb/node-api';
import { type AnalyticsView } from '../analytics-views';
import { AnalyticsViewError } from '../errors';
import { athenaFunctionMacros } from './athena-functions';
import { defineAnalyticsViews } from './local-analytics-views';

const view = (name: string, select: string): AnalyticsView => ({
  name,
  description: 'One row per test.',
  sql: `-- One row per test.\n${select}`,
  dependsOn: [],
  columns: [],
});

describe('defineAnalyticsViews', () => {
  async function withConnection(
    act: (connection: Awaited<ReturnType<DuckDBInstance['connect']>>) => Promise<void>,
  ) {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run('CREATE SCHEMA "engagementdb-glue-db"');
      for (const macro of athenaFunctionMacros) await connection.run(macro);
      await act(connection);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }

  it('creates each view in the Glue database and unqualified, through the Athena rewrite', async () => {
    await withConnection(async (connection) => {
      await defineAnalyticsViews(connection, [view('counts', "SELECT cardinality(MAP {'a': 'b'}) AS n")]);

      const qualified = await connection.runAndReadAll('SELECT n FROM "engagementdb-glue-db".counts');
      const unqualified = await connection.runAndReadAll('SELECT n FROM counts');
      expect(qualified.getRowObjectsJson()).toEqual([{ n: '1' }]);
      expect(unqualified.getRowObjectsJson()).toEqual([{ n: '1' }]);
    });
  });

  it('throws AnalyticsViewError naming the view and its file when DuckDB cannot create it', async () => {
    await withConnection(async (connection) => {
      const creating = defineAnalyticsViews(connection, [view('broken_view', 'SELECT nope FROM nowhere')]);

      await expect(creating).rejects.toThrow(AnalyticsViewError);
      await expect(
        defineAnalyticsViews(connection, [view('broken_view', 'SELECT nope FROM nowhere')]),
      ).rejects.toThrow(
        /^the analytics view broken_view cannot be created on the local engine: Catalog Error: Table with name nowhere does not exist!.*; fix views\/broken_view\.sql\.$/s,
      );
    });
  });
});
