import { ConfigError } from '../functions/errors.js';
import type { OutputFormat } from '../functions/output-format.js';
import type { DeliveryConfig, SourceConfig } from './config.js';

/**
 * What a source sends to Elastic when it names no format: the raw incident, which the integration's own
 * ingest pipeline maps (Elastic's Firehose endpoint stores each record as a string in `message`).
 */
export const ELASTIC_DEFAULT_FORMAT: OutputFormat = 'raw';

/**
 * The data stream of Elastic's integration that takes each format: raw incidents and `ecs` documents go to
 * the (deprecated) `symantec_edr_cloud` integration, `ses` documents to `symantec_endpoint_security`,
 * whose `incident` pipeline expects its own names. No Elastic integration takes OCSF findings.
 */
export const ELASTIC_DATA_STREAMS: Readonly<Record<OutputFormat, string | undefined>> = Object.freeze({
  raw: 'logs-symantec_edr_cloud.incident-default',
  ecs: 'logs-symantec_edr_cloud.incident-default',
  ses: 'logs-symantec_endpoint_security.incident-default',
  ocsf: undefined,
});

/**
 * The delivery with its Elastic data stream decided: the configured one, else the one that fits the
 * sources' formats. One stream delivers to one data stream, so sources whose formats fit different data
 * streams (or OCSF, which fits none) need `dataStreamName`: refused at synth time, not at delivery.
 */
export function withElasticDataStream(delivery: DeliveryConfig, sources: readonly SourceConfig[]): DeliveryConfig {
  if (delivery.type !== 'elastic' || delivery.dataStreamName !== undefined) return delivery;
  // The settings were checked against the settings table, so a format set is one of OUTPUT_FORMATS.
  const stream = dataStreamFor(sources.map((source) => (source as { outputFormat?: OutputFormat }).outputFormat));
  if (stream === undefined) {
    const formats = [
      ...new Set(sources.map((source) => (source as { outputFormat?: OutputFormat }).outputFormat ?? ELASTIC_DEFAULT_FORMAT)),
    ];
    throw new ConfigError(
      `symantecEdr.delivery.dataStreamName: required when the sources' output formats (${formats.join(', ')}) fit no single ` +
        'Elastic data stream; set it, or give the sources one format ("ses" for logs-symantec_endpoint_security.incident-*, ' +
        '"ecs" or "raw" for logs-symantec_edr_cloud.incident-*)',
    );
  }
  return { ...delivery, dataStreamName: stream };
}

/** The one data stream that takes every one of these formats (unset: the Elastic default), or undefined. */
export function dataStreamFor(formats: readonly (OutputFormat | undefined)[]): string | undefined {
  const streams = new Set(formats.map((format) => ELASTIC_DATA_STREAMS[format ?? ELASTIC_DEFAULT_FORMAT]));
  const [stream] = streams;
  return streams.size === 1 ? stream : undefined;
}
