import { type DuckDBConnection } from '@duckdb/node-api';
import { glueDatabaseName } from '@engagement-db/canonical-model';
import { type AnalyticsView, selectOf } from '../analytics-views';
import { AnalyticsViewError } from '../errors';
import { renamedAthenaFunctions } from './athena-functions';
import { rewriteAthenaSql } from './athena-rewrite';
import { quoteIdentifier } from './lake-views';

/**
 * Creates every analytics view on the local engine from its Athena SQL, through the same rewrite as
 * queries: in the Glue database, and unqualified. A view DuckDB cannot create is a broken view file,
 * so it throws `AnalyticsViewError` naming the view, rather than leaving the view out.
 */
export async function defineAnalyticsViews(
  connection: DuckDBConnection,
  views: readonly AnalyticsView[],
): Promise<void> {
  for (const view of views) {
    const qualified = `${quoteIdentifier(glueDatabaseName)}.${quoteIdentifier(view.name)}`;
    try {
      await connection.run(
        `CREATE OR REPLACE VIEW ${qualified} AS ${rewriteAthenaSql(selectOf(view.sql), renamedAthenaFunctions).sql}`,
      );
      await connection.run(
        `CREATE OR REPLACE VIEW main.${quoteIdentifier(view.name)} AS SELECT * FROM ${qualified}`,
      );
    } catch (error) {
      throw new AnalyticsViewError(
        `the analytics view ${view.name} cannot be created on the local engine: ${(error as Error).message}; ` +
          `fix views/${view.name}.sql.`,
        { cause: error },
      );
    }
  }
}
