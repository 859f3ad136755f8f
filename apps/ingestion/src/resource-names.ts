import { conversationTable, eventTable, glueDatabaseName } from '@engagement-db/canonical-model';

const canonicalPrefix = 'engagementdb';

/** The names of the named resources of one deployment. */
export interface ResourceNames {
  readonly eventsStream: string;
  readonly conversationsStream: string;
  readonly glueDatabase: string;
  readonly eventsTable: string;
  readonly conversationsTable: string;
  readonly sesConfigurationSet: string;
  readonly smsVoiceConfigurationSet: string;
  readonly transformerFunction: string;
  /** Prefix of the alarm names: `<prefix>-<alarm>`. */
  readonly alarmPrefix: string;
}

/**
 * The resource names for a names prefix. With the default prefix `engagementdb` they are the names
 * the analytics app, the local lake and the sample queries use; another prefix renames all of them,
 * so two deployments can share an account and region.
 *
 * @example resourceNamesOf('engagementdb').eventsStream // 'engagementdb-events'
 */
export function resourceNamesOf(namesPrefix: string): ResourceNames {
  const named = (canonical: string) =>
    canonical.startsWith(canonicalPrefix)
      ? `${namesPrefix}${canonical.slice(canonicalPrefix.length)}`
      : `${namesPrefix}-${canonical}`;
  return {
    eventsStream: named(eventTable.deliveryStreamName),
    conversationsStream: named(conversationTable.deliveryStreamName),
    glueDatabase: named(glueDatabaseName),
    eventsTable: named(eventTable.glueName),
    conversationsTable: named(conversationTable.glueName),
    sesConfigurationSet: `${namesPrefix}-email-events`,
    smsVoiceConfigurationSet: `${namesPrefix}-sms-voice-events`,
    transformerFunction: `${namesPrefix}-firehose-transformer`,
    alarmPrefix: namesPrefix,
  };
}
