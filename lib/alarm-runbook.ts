/**
 * What each alarm says: what it means, the first thing to do, and the heading of the operations guide
 * that goes further. The guide has one heading per alarm, `### Alarm <key>`; a test checks each exists.
 */
import { runbookLink } from './runbook.js';

export type AlarmKey =
  | 'function-errors'
  | 'function-throttles'
  | 'records-failed'
  | 'window-clamped'
  | 'checkpoint-lag'
  | 'no-successful-run'
  | 'delivery-failures'
  | 'delivery-freshness';

export const FIRST_STEPS: Readonly<Record<AlarmKey, string>> = {
  'function-errors':
    'read the ERROR lines of the source\'s log group and the "error" of its last "run finished" line, or run `symantec-edr status`.',
  'function-throttles':
    "check the account's Lambda concurrency (ConcurrentExecutions against its quota) and any reserved concurrency on other functions.",
  'records-failed': "look at the stream's ThrottledRecords metric and its status in the Firehose console.",
  'window-clamped':
    'find the WARN line "checkpoint older than the API keeps" in the source\'s log: its "lost" key names the interval to recover by hand.',
  'checkpoint-lag': 'run `symantec-edr status` and see whether the last run failed, stopped for time, or is catching up.',
  'no-successful-run': 'run `symantec-edr status`: it tells a failing source from one whose runs do not start or find the lease held.',
  'delivery-failures': "read the stream's log group (DeliveryLogGroup) for the destination's error.",
  'delivery-freshness': "read the stream's log group (DeliveryLogGroup) and check that the destination accepts requests.",
};

/** The heading's anchor as GitHub renders `### Alarm <key>`. */
export function alarmAnchor(key: AlarmKey): string {
  return `alarm-${key}`;
}

/** The alarm's description: its meaning, the first step, and the link to its heading in the runbook. */
export function describeAlarm(key: AlarmKey, meaning: string, runbookUrl: string): string {
  return `${meaning} First step: ${FIRST_STEPS[key]} Runbook: ${runbookLink(runbookUrl, alarmAnchor(key))}`;
}
