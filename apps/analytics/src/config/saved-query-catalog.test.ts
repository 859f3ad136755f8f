import { sharedResourceNamesOf } from '@engagement-db/cdk-kit';
import {
  type QueryEngine,
  analyticsViews,
  createViewStatement,
  openQueryEngine,
  sampleQueries,
} from '@engagement-db/sql';
import { emptyLake, removeLake } from '../../test/athena-view-fixtures';
import { functionsOutsideAthena, trinoSyntaxErrors } from '@engagement-db/sql/testing';
import { savedQueriesOf, withDeploymentNames } from './saved-query-catalog';
import { viewExamples } from './view-examples';

const canonical = sharedResourceNamesOf('engagementdb');

describe('savedQueriesOf', () => {
  it('lists the seven documented sample queries verbatim, then one example per view with its description', () => {
    // Act
    const saved = savedQueriesOf(analyticsViews, canonical);

    // Assert
    expect(saved.slice(0, 7)).toEqual(
      Object.values(sampleQueries).map((query) => ({
        name: query.title,
        description: 'A sample query of the engagement database documentation, on the events table.',
        sql: query.sql,
      })),
    );
    expect(saved.slice(7)).toEqual(
      analyticsViews.map((view) => ({
        name: `${view.name}: ${viewExamples[view.name].title}`,
        description: view.description,
        sql: viewExamples[view.name].sql,
      })),
    );
  });

  it('renames the quoted database and tables for another names prefix, and nothing else', () => {
    // Prepare
    const acme = sharedResourceNamesOf('acme');
    const sql = `SELECT 'engagementdb-events-table' AS label FROM "engagementdb-glue-db"."engagementdb-events-table" e JOIN "engagementdb-conversations-table" c ON true`;

    // Act
    const renamed = withDeploymentNames(sql, acme);

    // Assert
    expect(renamed).toBe(
      `SELECT 'engagementdb-events-table' AS label FROM "acme-glue-db"."acme-events-table" e JOIN "acme-conversations-table" c ON true`,
    );
  });

  it('refuses a view without an example query, naming it and where to add it', () => {
    // Prepare
    const unknown = { ...analyticsViews[0], name: 'sms_retries_view' };

    // Act
    const list = () => savedQueriesOf([unknown], canonical);

    // Assert
    expect(list).toThrow(
      'savedQueriesOf: no example query for the views sms_retries_view; expected one per view. ' +
        'Fix: add it to apps/analytics/src/config/view-examples.ts.',
    );
  });

  it.each([
    ...Object.values(sampleQueries).map((query) => [query.title, query.sql] as const),
    ...Object.entries(viewExamples).map(
      ([view, example]) => [`the example of ${view}`, example.sql] as const,
    ),
    ...analyticsViews.map((view) => [`the view ${view.name}`, createViewStatement(view)] as const),
  ])('parses with Trino’s grammar and calls only functions Athena documents: %s', (_name, sql) => {
    // Act
    const errors = trinoSyntaxErrors(sql);
    const unknownFunctions = functionsOutsideAthena(sql);

    // Assert
    expect(errors).toEqual([]);
    expect(unknownFunctions).toEqual([]);
  });

  it('finds DuckDB-only syntax with Trino’s grammar', () => {
    // Act
    const errors = trinoSyntaxErrors(
      'SELECT messageid FROM "engagementdb-events-table" WHERE channel == \'email\'',
    );

    // Assert
    expect(errors).toEqual([expect.stringMatching(/^1:\d+: '=' is not valid at this position/)]);
  });
});

describe('the example queries on the local lake', () => {
  let lake: string;
  let engine: QueryEngine;

  beforeAll(async () => {
    lake = emptyLake();
    engine = await openQueryEngine({ lake });
    for (const view of analyticsViews) {
      const created = await engine.runViewStatement(createViewStatement(view));
      if (!created.ok) throw new Error(`${view.name}: ${created.error.message}`);
    }
  });

  afterAll(() => {
    engine.close();
    removeLake(lake);
  });

  it.each(analyticsViews.map((view) => [view.name]))('runs the example of %s over its view', async (name) => {
    // Act
    const result = await engine.query(viewExamples[name].sql);

    // Assert
    expect(result).toMatchObject({ ok: true, value: { rows: [] } });
  });
});
