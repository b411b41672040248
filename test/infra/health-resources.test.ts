/**
 * What the stack cdk.json describes adds for an operator's health check: the throttle and freshness
 * alarms, every alarm's first step and runbook link, the saved Logs Insights queries and the dashboard's
 * current-state widgets. Bundling is skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_STEPS, type AlarmKey } from '../../lib/alarm-runbook.js';
import { DEFAULT_RUNBOOK_URL, operationsGuideOf } from '../../lib/runbook.js';
import { SAVED_QUERIES, savedQuery } from '../../lib/saved-queries.js';
import { type Synthesized, cdkJson, ref, resourceOf, synthesize } from './synth-support.js';

const GUIDE = 'https://github.com/symantec-edr-cloud/symantec-edr-cloud-ingest/blob/main/docs/operations.md';
let synth: Synthesized;
beforeAll(() => {
  synth = synthesize(cdkJson.context.symantecEdr);
});
afterAll(() => synth?.cleanup());

const alarmProperties = (prefix: string) =>
  resourceOf(synth.template, 'AWS::CloudWatch::Alarm', prefix).resource.Properties as Record<string, unknown>;

describe('the new alarms', () => {
  it("raises when Lambda throttles the source's function in an interval", () => {
    const fn = resourceOf(synth.template, 'AWS::Lambda::Function').id;

    expect(alarmProperties('SourcedefaultFunctionThrottlesAlarm')).toMatchObject({
      AlarmName: 'SymantecEdrCloudIngestion-default-function-throttles',
      Namespace: 'AWS/Lambda',
      MetricName: 'Throttles',
      Dimensions: [{ Name: 'FunctionName', Value: ref(fn) }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('raises when a record waits in the stream 15 minutes past its 300 s buffer for S3', () => {
    const stream = resourceOf(synth.template, 'AWS::KinesisFirehose::DeliveryStream');

    expect(alarmProperties('DeliveryFreshnessAlarm')).toMatchObject({
      AlarmName: 'SymantecEdrCloudIngestion-delivery-freshness',
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.DataFreshness',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: ref(stream.id) }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 1200,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(stream.resource.Properties.ExtendedS3DestinationConfiguration.BufferingHints).toMatchObject({ IntervalInSeconds: 300 });
  });
});

describe('every alarm description', () => {
  const expected: Record<string, AlarmKey> = {
    SourcedefaultFunctionErrorsAlarm: 'function-errors',
    SourcedefaultFunctionThrottlesAlarm: 'function-throttles',
    SourcedefaultRecordsFailedAlarm: 'records-failed',
    SourcedefaultWindowClampedAlarm: 'window-clamped',
    SourcedefaultCheckpointLagAlarm: 'checkpoint-lag',
    SourcedefaultNoSuccessfulRunAlarm: 'no-successful-run',
    DeliveryFailuresAlarm: 'delivery-failures',
    DeliveryFreshnessAlarm: 'delivery-freshness',
  };

  it('ends with its first step and the link to its own heading of the operations guide in the repository', () => {
    const ids = Object.keys(synth.template.findResources('AWS::CloudWatch::Alarm'));

    expect(ids.map((id) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(Object.keys(expected).sort());
    for (const [prefix, key] of Object.entries(expected)) {
      const description = alarmProperties(prefix).AlarmDescription as string;
      expect(description).toMatch(/^\S.*\. First step: /);
      expect(description.endsWith(` First step: ${FIRST_STEPS[key]} Runbook: ${GUIDE}#alarm-${key}`)).toBe(true);
      expect(description.length).toBeLessThanOrEqual(1024);
    }
  });

  it('links to the runbookUrl of the configuration when one is set', () => {
    const own = synthesize({ ...(cdkJson.context.symantecEdr as object), runbookUrl: 'https://wiki.example.com/soc/edr-runbook' });
    try {
      const descriptions = Object.values(own.template.findResources('AWS::CloudWatch::Alarm')).map(
        (a) => a.Properties.AlarmDescription as string,
      );

      expect(descriptions).toHaveLength(8);
      for (const description of descriptions)
        expect(description).toMatch(/ Runbook: https:\/\/wiki\.example\.com\/soc\/edr-runbook#alarm-[a-z-]+$/);
    } finally {
      own.cleanup();
    }
  });

  it("takes the default link from package.json's repository", () => {
    expect(DEFAULT_RUNBOOK_URL).toBe(GUIDE);
    expect(operationsGuideOf('https://github.com/someone/fork')).toBe('https://github.com/someone/fork/blob/main/docs/operations.md');
    expect(() => operationsGuideOf('git@github.com:someone/fork.git')).toThrow(/must be a GitHub https URL/);
  });
});

describe('the saved queries', () => {
  it('saves every query of the guide under the stack name, over the log groups of the sources', () => {
    const logGroup = resourceOf(synth.template, 'AWS::Logs::LogGroup', 'Sourcedefault').id;
    const saved = Object.values(synth.template.findResources('AWS::Logs::QueryDefinition')).map((q) => q.Properties);

    expect(saved).toEqual(
      SAVED_QUERIES.map((q) => ({
        Name: `SymantecEdrCloudIngestion/${q.title}`,
        QueryString: q.query.toString(),
        LogGroupNames: [ref(logGroup)],
      })),
    );
    expect(saved.map((q) => q.Name)).toContain('SymantecEdrCloudIngestion/Where each source stands now');
  });
});

describe('the dashboard', () => {
  // The body is a Fn::Join of JSON text and references: the references become `<Ref:Id>` to read it as JSON.
  const widgets = () => {
    const body = resourceOf(synth.template, 'AWS::CloudWatch::Dashboard').resource.Properties.DashboardBody as {
      'Fn::Join': [string, unknown[]];
    };
    const text = body['Fn::Join'][1]
      .map((part) => (typeof part === 'string' ? part : `<Ref:${(part as { Ref?: string }).Ref ?? 'other'}>`))
      .join('');
    return (JSON.parse(text) as { widgets: { type: string; properties: Record<string, unknown> }[] }).widgets;
  };

  it("shows each source's runs succeeded and lag of the last interval, and the table of where each source stands", () => {
    const logGroup = resourceOf(synth.template, 'AWS::Logs::LogGroup', 'Sourcedefault').id;
    const dimensions = ['service', 'symantec-edr-cloud', 'source', 'default'];

    const singleValue = widgets().find((w) => w.properties.view === 'singleValue');
    const table = widgets().find((w) => w.type === 'log');

    expect(singleValue?.properties).toEqual({
      view: 'singleValue',
      title: 'Last interval: runs succeeded and checkpoint lag (s)',
      region: '<Ref:AWS::Region>',
      metrics: [
        ['SymantecEdrCloud', 'RunSucceeded', ...dimensions, { label: 'runs succeeded default', stat: 'Sum' }],
        ['SymantecEdrCloud', 'CheckpointLagSeconds', ...dimensions, { label: 'lag default', stat: 'Maximum' }],
      ],
    });
    expect(table?.properties).toEqual({
      view: 'table',
      title: 'Where each source stands now',
      region: '<Ref:AWS::Region>',
      query: `SOURCE '<Ref:${logGroup}>' | ${savedQuery('SourceState').query.toString()}`,
    });
  });
});
