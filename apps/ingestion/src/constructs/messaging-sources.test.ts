import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { emptyStack, eventsStreamIn, removeTestOutdirs, thrownBy } from '../../test/test-stack';
import { MessagingSources, type MessagingSourcesProps, sesEventTypes } from './messaging-sources';

const whatsappTopicArn = 'arn:aws:sns:eu-west-1:123456789012:whatsapp-events';

afterAll(() => {
  removeTestOutdirs();
});

function sourcesIn(stack: Stack, props: Partial<MessagingSourcesProps> = {}) {
  return new MessagingSources(stack, 'Sources', {
    eventsStream: eventsStreamIn(stack),
    sesConfigurationSetName: 'acme-email-events',
    smsVoiceConfigurationSetName: 'acme-sms-voice-events',
    ...props,
  });
}

function streamIdOf(template: Template): string {
  const [id] = Object.keys(template.findResources('AWS::KinesisFirehose::DeliveryStream'));
  return id;
}

describe('MessagingSources', () => {
  it('publishes all ten SES event types of its configuration set to the events stream', () => {
    // Prepare
    const stack = emptyStack();
    sourcesIn(stack);

    // Act
    const template = Template.fromStack(stack);

    // Assert
    template.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'acme-email-events' });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: 'acme-email-events',
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: [...sesEventTypes],
        KinesisFirehoseDestination: { DeliveryStreamARN: { 'Fn::GetAtt': [streamIdOf(template), 'Arn'] } },
      },
    });
    expect(new Set(sesEventTypes).size).toBe(10);
  });

  it('publishes all End User Messaging SMS/Voice events to the events stream', () => {
    // Prepare
    const stack = emptyStack();
    sourcesIn(stack);

    // Act
    const template = Template.fromStack(stack);

    // Assert
    template.hasResourceProperties('AWS::SMSVOICE::ConfigurationSet', {
      ConfigurationSetName: 'acme-sms-voice-events',
      EventDestinations: [
        {
          EventDestinationName: 'engagement-events-stream',
          Enabled: true,
          MatchingEventTypes: ['ALL'],
          KinesisFirehoseDestination: {
            DeliveryStreamArn: { 'Fn::GetAtt': [streamIdOf(template), 'Arn'] },
            IamRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SourcesSmsVoiceRole'), 'Arn'] },
          },
        },
      ],
    });
  });

  it('creates the SES destination after the role it tests with a record exists with its policy', () => {
    // Prepare
    const stack = emptyStack();
    sourcesIn(stack);

    // Act
    const template = Template.fromStack(stack);

    // Assert
    const [destination] = Object.values(template.findResources('AWS::SES::ConfigurationSetEventDestination'));
    expect((destination as { DependsOn: string[] }).DependsOn).toEqual([
      expect.stringMatching(/^SourcesSesConfigurationSet/),
      expect.stringMatching(/^SourcesSesRoleDefaultPolicy/),
      expect.stringMatching(/^SourcesSesRole[0-9A-F]{8}$/),
    ]);
  });

  it('subscribes no SNS topic without a WhatsApp topic, and the events stream to the topic given', () => {
    // Prepare
    const without = emptyStack();
    const withTopic = emptyStack();
    sourcesIn(without);
    sourcesIn(withTopic, { whatsappTopicArn });

    // Act
    const templates = [Template.fromStack(without), Template.fromStack(withTopic)];

    // Assert
    templates[0].resourceCountIs('AWS::SNS::Subscription', 0);
    templates[1].hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: whatsappTopicArn,
      Protocol: 'firehose',
      Endpoint: { 'Fn::GetAtt': [streamIdOf(templates[1]), 'Arn'] },
      SubscriptionRoleArn: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^SourcesWhatsAppSubscriptionRole'), 'Arn'],
      },
    });
  });

  it('rejects names the services refuse and an ARN of another service', () => {
    // Act
    const error = thrownBy(() =>
      sourcesIn(emptyStack(), {
        sesConfigurationSetName: 'acme email',
        whatsappTopicArn: 'arn:aws:sqs:eu-west-1:123456789012:queue',
      }),
    );

    // Assert
    expect(error.message).toBe(
      'Invalid props for MessagingSources at Test/Sources:\n' +
        '- sesConfigurationSetName is "acme email"; expected 1 to 64 letters, digits, hyphens or underscores. ' +
        'Fix: pass a shorter sesConfigurationSetName (it is <namesPrefix>-email-events or -sms-voice-events).\n' +
        '- whatsappTopicArn is "arn:aws:sqs:eu-west-1:123456789012:queue"; expected the ARN of a standard SNS topic, ' +
        'arn:aws:sns:<region>:<account>:<topic name>. Fix: pass the ARN of the topic your WhatsApp Business Account ' +
        'publishes to, or leave it out.',
    );
  });
});
