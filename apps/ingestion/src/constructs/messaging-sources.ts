import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as smsvoice from 'aws-cdk-lib/aws-smsvoice';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { checkProps } from '@engagement-db/cdk-kit';
import type { EventsDeliveryStream } from './events-delivery-stream';

/** The stream the sources publish to and what to create. */
export interface MessagingSourcesProps {
  /** The stream every source puts its events on. */
  readonly eventsStream: EventsDeliveryStream;
  /** The SES configuration set to create: 1 to 64 letters, digits, hyphens or underscores. */
  readonly sesConfigurationSetName: string;
  /** The End User Messaging SMS/Voice configuration set to create: 1 to 64 letters, digits, hyphens or underscores. */
  readonly smsVoiceConfigurationSetName: string;
  /**
   * The SNS topic of a WhatsApp Business Account to subscribe the stream to.
   * @default - no WhatsApp subscription
   */
  readonly whatsappTopicArn?: string;
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

/**
 * The sources wired to the events stream: an SES configuration set publishing all ten event types,
 * an End User Messaging SMS/Voice configuration set publishing all events, and optionally the SNS
 * topic WhatsApp publishes to. Each gets a role only it can assume, allowed to put records on the
 * events stream and nothing else.
 *
 * @example new MessagingSources(stack, 'Sources', { eventsStream, sesConfigurationSetName, smsVoiceConfigurationSetName, whatsappTopicArn });
 */
export class MessagingSources extends Construct {
  readonly sesConfigurationSetName: string;
  readonly smsVoiceConfigurationSetName: string;

  constructor(scope: Construct, id: string, props: MessagingSourcesProps) {
    super(scope, id);
    checkProps(this, [
      configurationSetNameRule('sesConfigurationSetName', props.sesConfigurationSetName),
      configurationSetNameRule('smsVoiceConfigurationSetName', props.smsVoiceConfigurationSetName),
      {
        prop: 'whatsappTopicArn',
        value: props.whatsappTopicArn,
        valid:
          props.whatsappTopicArn === undefined ||
          /^arn:aws(-[a-z]+)*:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(
            props.whatsappTopicArn,
          ),
        expected: 'the ARN of a standard SNS topic, arn:aws:sns:<region>:<account>:<topic name>',
        fix: 'pass the ARN of the topic your WhatsApp Business Account publishes to, or leave it out',
      },
    ]);
    const stack = Stack.of(this);
    const stream = props.eventsStream;
    const streamArn = stream.streamArn;

    // Every source names the stream by its ARN, which already orders the stream before it.
    const sesConfigurationSet = new ses.CfnConfigurationSet(this, 'SesConfigurationSet', {
      name: props.sesConfigurationSetName,
      reputationOptions: { reputationMetricsEnabled: true },
    });
    const sesRole = this.publisherRole('SesRole', 'ses.amazonaws.com', stream, {
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
    sesDestination.node.addDependency(sesConfigurationSet, sesRole);

    const smsVoiceRole = this.publisherRole('SmsVoiceRole', 'sms-voice.amazonaws.com', stream, {
      'aws:SourceAccount': stack.account,
    });
    const smsVoiceConfigurationSet = new smsvoice.CfnConfigurationSet(this, 'SmsVoiceConfigurationSet', {
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
    smsVoiceConfigurationSet.node.addDependency(smsVoiceRole);

    if (props.whatsappTopicArn !== undefined) {
      const snsRole = this.publisherRole('WhatsAppSubscriptionRole', 'sns.amazonaws.com', stream, {});
      stream.grant(snsRole, 'firehose:DescribeDeliveryStream');
      const whatsappSubscription = new sns.CfnSubscription(this, 'WhatsAppSubscription', {
        topicArn: props.whatsappTopicArn,
        protocol: 'firehose',
        endpoint: streamArn,
        subscriptionRoleArn: snsRole.roleArn,
      });
      whatsappSubscription.node.addDependency(snsRole);
    }
    this.sesConfigurationSetName = props.sesConfigurationSetName;
    this.smsVoiceConfigurationSetName = props.smsVoiceConfigurationSetName;
  }

  private publisherRole(
    id: string,
    service: string,
    stream: EventsDeliveryStream,
    conditions: Record<string, string>,
  ): iam.Role {
    const role = new iam.Role(this, id, {
      assumedBy: new iam.ServicePrincipal(
        service,
        Object.keys(conditions).length > 0 ? { conditions: { StringEquals: conditions } } : {},
      ),
      description: `Lets ${service} put engagement events on the events delivery stream.`,
    });
    stream.grantPutRecords(role);
    return role;
  }
}

function configurationSetNameRule(prop: string, value: string) {
  return {
    prop,
    value,
    valid: /^[A-Za-z0-9_-]{1,64}$/.test(value),
    expected: '1 to 64 letters, digits, hyphens or underscores',
    fix: `pass a shorter ${prop} (it is <namesPrefix>-email-events or -sms-voice-events)`,
  };
}
