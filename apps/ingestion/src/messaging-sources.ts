import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as smsvoice from 'aws-cdk-lib/aws-smsvoice';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** The stream the sources publish to and what to create. */
export interface MessagingSourcesProps {
  readonly eventsStream: firehose.CfnDeliveryStream;
  readonly sesConfigurationSetName: string;
  readonly smsVoiceConfigurationSetName: string;
  /** Subscribe the stream to this SNS topic of a WhatsApp Business Account; none when undefined. */
  readonly whatsappTopicArn: string | undefined;
}

/**
 * Every SES event type a configuration set can publish, as CloudFormation spells them.
 *
 * @example sesEventTypes.length // 10
 */
export const sesEventTypes = [
  'send',
  'reject',
  'bounce',
  'complaint',
  'delivery',
  'open',
  'click',
  'renderingFailure',
  'deliveryDelay',
  'subscription',
] as const;

const putRecordActions = ['firehose:PutRecord', 'firehose:PutRecordBatch'];

/**
 * The sources wired to the events stream: an SES configuration set publishing all ten event types,
 * an End User Messaging SMS/Voice configuration set publishing all events, and optionally the SNS
 * topic WhatsApp publishes to. Each gets a role only it can assume, allowed to put records on the
 * events stream and nothing else.
 *
 * @example new MessagingSources(stack, 'Sources', { eventsStream, sesConfigurationSetName, smsVoiceConfigurationSetName, whatsappTopicArn });
 */
export class MessagingSources extends Construct {
  readonly sesConfigurationSet: ses.CfnConfigurationSet;
  readonly smsVoiceConfigurationSet: smsvoice.CfnConfigurationSet;
  readonly whatsappSubscription: sns.CfnSubscription | undefined;

  constructor(scope: Construct, id: string, props: MessagingSourcesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const streamArn = props.eventsStream.attrArn;

    this.sesConfigurationSet = new ses.CfnConfigurationSet(this, 'SesConfigurationSet', {
      name: props.sesConfigurationSetName,
      reputationOptions: { reputationMetricsEnabled: true },
    });
    const sesRole = this.publisherRole('SesRole', 'ses.amazonaws.com', streamArn, {
      'aws:SourceAccount': stack.account,
      'aws:SourceArn': stack.formatArn({
        service: 'ses',
        resource: 'configuration-set',
        resourceName: props.sesConfigurationSetName,
      }),
    });
    const sesDestination = new ses.CfnConfigurationSetEventDestination(this, 'SesEventDestination', {
      configurationSetName: props.sesConfigurationSetName,
      eventDestination: {
        name: 'engagement-events-stream',
        enabled: true,
        matchingEventTypes: [...sesEventTypes],
        kinesisFirehoseDestination: { deliveryStreamArn: streamArn, iamRoleArn: sesRole.roleArn },
      },
    });
    // SES checks the role by putting a test record when the destination is created.
    sesDestination.node.addDependency(this.sesConfigurationSet, sesRole, props.eventsStream);

    const smsVoiceRole = this.publisherRole('SmsVoiceRole', 'sms-voice.amazonaws.com', streamArn, {
      'aws:SourceAccount': stack.account,
    });
    this.smsVoiceConfigurationSet = new smsvoice.CfnConfigurationSet(this, 'SmsVoiceConfigurationSet', {
      configurationSetName: props.smsVoiceConfigurationSetName,
      eventDestinations: [
        {
          eventDestinationName: 'engagement-events-stream',
          enabled: true,
          matchingEventTypes: ['ALL'],
          kinesisFirehoseDestination: { deliveryStreamArn: streamArn, iamRoleArn: smsVoiceRole.roleArn },
        },
      ],
    });
    this.smsVoiceConfigurationSet.node.addDependency(smsVoiceRole, props.eventsStream);

    if (props.whatsappTopicArn !== undefined) {
      const snsRole = this.publisherRole('WhatsAppSubscriptionRole', 'sns.amazonaws.com', streamArn, {});
      snsRole.addToPolicy(
        new iam.PolicyStatement({ actions: ['firehose:DescribeDeliveryStream'], resources: [streamArn] }),
      );
      this.whatsappSubscription = new sns.CfnSubscription(this, 'WhatsAppSubscription', {
        topicArn: props.whatsappTopicArn,
        protocol: 'firehose',
        endpoint: streamArn,
        subscriptionRoleArn: snsRole.roleArn,
      });
      this.whatsappSubscription.node.addDependency(snsRole, props.eventsStream);
    }
  }

  private publisherRole(
    id: string,
    service: string,
    streamArn: string,
    conditions: Record<string, string>,
  ): iam.Role {
    const role = new iam.Role(this, id, {
      assumedBy: new iam.ServicePrincipal(
        service,
        Object.keys(conditions).length > 0 ? { conditions: { StringEquals: conditions } } : {},
      ),
      description: `Lets ${service} put engagement events on the events delivery stream.`,
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: putRecordActions, resources: [streamArn] }));
    return role;
  }
}
