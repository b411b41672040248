/**
 * The package's main export: the constructs for a CDK app of your own. `SymantecEdrCloud` is the whole
 * deployment; `SymantecEdrIngestion` one source with its function, schedule, secret and alarms.
 */
export { SymantecEdrCloud, type SymantecEdrCloudProps, type SourceProps } from './symantec-edr-cloud.js';
export { SymantecEdrIngestion, type SymantecEdrIngestionProps, type IngestionMetricName } from './symantec-edr-ingestion.js';
export {
  Delivery,
  type DeliveryResources,
  type ElasticDeliveryOptions,
  type SecurityLakeDeliveryOptions,
  type SecurityLakeTarget,
  ELASTIC_DEFAULT_DATA_STREAM,
} from './delivery.js';
export type { IngestionSettings } from './ingestion-settings.js';
export { IngestionStack, type IngestionStackProps } from './ingestion-stack.js';
export { parseIngestionConfig, type IngestionConfig, CONTEXT_KEY } from './config.js';
export { SETTINGS } from '../functions/settings.js';
export { SOURCE_ID_PATTERN, SOURCE_ID_RULE } from '../functions/source-id.js';
