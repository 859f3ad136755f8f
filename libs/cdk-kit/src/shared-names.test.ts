import {
  canonicalTables,
  conversationTable,
  eventTable,
  glueDatabaseName,
} from '@engagement-db/canonical-model';
import { sharedSettings } from './config/settings';
import { sharedResourceNamesOf } from './shared-names';

describe('sharedResourceNamesOf', () => {
  it('gives the canonical model’s names for the default prefix', () => {
    // Act
    const names = sharedResourceNamesOf(sharedSettings.namesPrefix.default);

    // Assert
    expect(names).toEqual({
      glueDatabase: glueDatabaseName,
      eventsTable: eventTable.glueName,
      conversationsTable: conversationTable.glueName,
      eventsStream: eventTable.deliveryStreamName,
      conversationsStream: conversationTable.deliveryStreamName,
      athenaWorkgroup: 'engagementdb-analytics',
      parameters: {
        eventsBucketName: '/engagementdb/ingestion/events-bucket-name',
        queryResultsBucketName: '/engagementdb/analytics/query-results-bucket-name',
      },
    });
  });

  it('replaces the canonical prefix in every name for another prefix', () => {
    // Act
    const names = sharedResourceNamesOf('acme-2');

    // Assert
    expect(names).toEqual({
      glueDatabase: 'acme-2-glue-db',
      eventsTable: 'acme-2-events-table',
      conversationsTable: 'acme-2-conversations-table',
      eventsStream: 'acme-2-events',
      conversationsStream: 'acme-2-conversations',
      athenaWorkgroup: 'acme-2-analytics',
      parameters: {
        eventsBucketName: '/acme-2/ingestion/events-bucket-name',
        queryResultsBucketName: '/acme-2/analytics/query-results-bucket-name',
      },
    });
  });

  it('starts every canonical name with the canonical prefix it replaces', () => {
    // Act
    const canonical = [
      glueDatabaseName,
      eventTable.glueName,
      conversationTable.glueName,
      ...Object.values(canonicalTables).map((table) => table.deliveryStreamName),
    ];

    // Assert
    for (const name of canonical) expect(name).toMatch(/^engagementdb-/);
  });
});
