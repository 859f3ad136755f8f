import { canonicalEvent, makeTempFolder, removeTempFolder, writeLake } from '../test/test-lake';
import {
  type QueryEngine,
  type QueryResult,
  analyticsViews,
  createViewStatement,
  openQueryEngine,
} from './index';

const sentAt = Date.UTC(2025, 0, 8, 10, 0, 0);

function rowsOf(result: QueryResult): Record<string, unknown>[] {
  if (!result.ok) throw new Error(result.error.message);
  return result.value.rows;
}

describe('QueryEngine.runViewStatement', () => {
  let lake: string;
  let engine: QueryEngine;

  beforeEach(async () => {
    lake = makeTempFolder('views');
    await writeLake(lake, {
      events: [
        canonicalEvent({
          timestamp: sentAt,
          channel: 'whatsapp',
          type: 'messageStatus',
          status: 'sent',
          messageId: 'wamid.1',
          sendingAddress: '+15550001',
        }),
        canonicalEvent({
          timestamp: sentAt + 5000,
          channel: 'whatsapp',
          type: 'messageStatus',
          status: 'read',
          messageId: 'wamid.1',
          sendingAddress: '+15550001',
        }),
      ],
    });
    engine = await openQueryEngine({ lake });
  });

  afterEach(() => {
    engine.close();
    removeTempFolder(lake);
  });

  it('creates every analytics view from its statement, in order, reachable qualified and unqualified', async () => {
    // Act
    const results = [];
    for (const view of analyticsViews) results.push(await engine.runViewStatement(createViewStatement(view)));

    // Assert
    expect(results).toEqual(analyticsViews.map(() => ({ ok: true, value: { columns: [], rows: [] } })));
    for (const view of analyticsViews) {
      const qualified = await engine.query(`SELECT * FROM "engagementdb-glue-db"."${view.name}"`);
      const unqualified = await engine.query(`SELECT * FROM ${view.name}`);
      expect(qualified.ok && qualified.value.columns.map((c) => c.name)).toEqual(
        view.columns.map((c) => c.name),
      );
      expect(unqualified).toEqual(qualified);
    }
  });

  it('counts a read WhatsApp message as sent and delivered though those statuses never arrived', async () => {
    // Prepare
    for (const view of analyticsViews) await engine.runViewStatement(createViewStatement(view));

    // Act
    const rows = rowsOf(
      await engine.query(
        'SELECT sending_address, message_date, sent_count, delivered_count, read_count, sent_to_delivered_rate, delivered_to_read_rate FROM whatsapp_message_conversion_rates',
      ),
    );

    // Assert
    expect(rows).toEqual([
      {
        sending_address: '+15550001',
        message_date: '2025-01-08',
        sent_count: 1,
        delivered_count: 1,
        read_count: 1,
        sent_to_delivered_rate: 1,
        delivered_to_read_rate: 1,
      },
    ]);
  });

  it('fails a view that reads a view not created yet, with DuckDB’s reason', async () => {
    // Prepare: the engine opens with every view, so the one read goes first.
    const reader = analyticsViews.find((view) => view.dependsOn.length > 0);
    if (reader === undefined) throw new Error('expected a view that reads another view');
    for (const view of [...analyticsViews].reverse()) {
      await engine.runViewStatement(`DROP VIEW IF EXISTS "engagementdb-glue-db"."${view.name}"`);
    }

    // Act
    const result = await engine.runViewStatement(createViewStatement(reader));

    // Assert
    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'failed',
        message: expect.stringMatching(
          new RegExp(`^Catalog Error: Table with name ${reader.dependsOn[0]} does not exist`),
        ),
      },
    });
  });

  it('replaces a view and drops it, unqualified name included', async () => {
    // Prepare
    const name = '"engagementdb-glue-db"."sent_messages"';
    await engine.runViewStatement(`CREATE VIEW ${name} AS SELECT messageid FROM "engagementdb-events-table"`);

    // Act
    const replaced = await engine.runViewStatement(
      `CREATE OR REPLACE VIEW ${name} AS -- one row per event\nSELECT count(*) AS n FROM "engagementdb-events-table"`,
    );
    const rows = rowsOf(await engine.query('SELECT n FROM sent_messages'));
    const dropped = await engine.runViewStatement(`DROP VIEW ${name}`);
    const droppedAgain = await engine.runViewStatement(`DROP VIEW IF EXISTS ${name}`);
    const afterDrop = await engine.query('SELECT * FROM sent_messages');

    // Assert
    expect(replaced.ok).toBe(true);
    expect(rows).toEqual([{ n: 2 }]);
    expect([dropped.ok, droppedAgain.ok]).toEqual([true, true]);
    expect(afterDrop).toMatchObject({
      ok: false,
      error: {
        message: expect.stringMatching(/^Catalog Error: Table with name sent_messages does not exist/),
      },
    });
  });

  it.each([
    [
      'a view of another database',
      'CREATE VIEW "other-db"."v" AS SELECT 1',
      'views are defined in the Glue database "engagementdb-glue-db", got "other-db"',
    ],
    [
      'a view named after a lake table',
      'CREATE OR REPLACE VIEW "engagementdb-events-table" AS SELECT 1',
      '"engagementdb-events-table" is a table of the lake, not a view; choose another view name',
    ],
    [
      'a statement that defines no view',
      'CREATE TABLE t AS SELECT 1',
      'expected a view definition, CREATE [OR REPLACE] VIEW <name> AS <SELECT>, or DROP VIEW [IF EXISTS] <name>',
    ],
    [
      'a view that does more than read',
      "CREATE VIEW v AS SELECT * FROM query('SELECT 1')",
      'query() is not available to queries: they may only read the lake.',
    ],
    [
      'two statements',
      'CREATE VIEW v AS SELECT 1; SELECT 2',
      'Only one SQL statement is allowed per query, got 2.',
    ],
  ])('refuses %s', async (_case, sql, message) => {
    // Act
    const result = await engine.runViewStatement(sql);

    // Assert
    expect(result).toEqual({ ok: false, error: { kind: 'refused', message } });
  });
});
