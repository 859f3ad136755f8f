import { sharedResourceNamesOf } from '@engagement-db/cdk-kit';

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
  /** The SSM parameter holding the events bucket's name, for the apps deployed after this one. */
  readonly eventsBucketParameter: string;
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
  // The names other apps use come from cdk-kit, which they read too.
  const shared = sharedResourceNamesOf(namesPrefix);
  return {
    eventsStream: shared.eventsStream,
    conversationsStream: shared.conversationsStream,
    glueDatabase: shared.glueDatabase,
    eventsTable: shared.eventsTable,
    conversationsTable: shared.conversationsTable,
    sesConfigurationSet: `${namesPrefix}-email-events`,
    smsVoiceConfigurationSet: `${namesPrefix}-sms-voice-events`,
    transformerFunction: `${namesPrefix}-firehose-transformer`,
    eventsBucketParameter: shared.parameters.eventsBucketName,
    alarmPrefix: namesPrefix,
  };
}
