import { describe, expect, it } from 'vitest';
import { resourceOf, synthesize } from './synth-support.js';

const API_KEY_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:elastic-api-key-AbC123';
const ENDPOINT = 'https://edr.es.eu-west-1.aws.elastic-cloud.com';
const elastic = (extra: Record<string, unknown> = {}) => ({
  type: 'elastic',
  endpointUrl: ENDPOINT,
  apiKeySecretArn: API_KEY_ARN,
  ...extra,
});

function dataStreamOf(sources: unknown[], delivery = elastic()): unknown {
  const synth = synthesize({ sources, delivery });
  try {
    const { resource } = resourceOf(synth.template, 'AWS::KinesisFirehose::DeliveryStream');
    return resource.Properties.HttpEndpointDestinationConfiguration.RequestConfiguration.CommonAttributes;
  } finally {
    synth.cleanup();
  }
}

describe('the Elastic data stream of each output format', () => {
  it('sends ses documents to the symantec_endpoint_security incident data stream by default', () => {
    const attributes = dataStreamOf([
      { id: 'a', outputFormat: 'ses' },
      { id: 'b', outputFormat: 'ses' },
    ]);

    expect(attributes).toEqual([
      { AttributeName: 'es_datastream_name', AttributeValue: 'logs-symantec_endpoint_security.incident-default' },
    ]);
  });

  it('keeps the symantec_edr_cloud incident data stream for raw incidents and ecs documents', () => {
    const attributes = dataStreamOf([{ id: 'a' }, { id: 'b', outputFormat: 'ecs' }]);

    expect(attributes).toEqual([{ AttributeName: 'es_datastream_name', AttributeValue: 'logs-symantec_edr_cloud.incident-default' }]);
  });

  it('takes the configured data stream whatever the formats', () => {
    const attributes = dataStreamOf(
      [
        { id: 'a', outputFormat: 'ocsf' },
        { id: 'b', outputFormat: 'ses' },
      ],
      elastic({ dataStreamName: 'logs-ocsf.mixed-prod' }),
    );

    expect(attributes).toEqual([{ AttributeName: 'es_datastream_name', AttributeValue: 'logs-ocsf.mixed-prod' }]);
  });

  it('refuses, at synth time, sources whose formats fit different data streams or none', () => {
    expect(() =>
      dataStreamOf([
        { id: 'a', outputFormat: 'ses' },
        { id: 'b', outputFormat: 'ecs' },
      ]),
    ).toThrow(/delivery\.dataStreamName: required when the sources' output formats \(ses, ecs\) fit no single Elastic data stream/);
    expect(() => dataStreamOf([{ id: 'a', outputFormat: 'ocsf' }])).toThrow(/output formats \(ocsf\) fit no single Elastic data stream/);
  });
});
