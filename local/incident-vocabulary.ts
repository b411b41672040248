/**
 * Word lists the incident generator draws from. Conclusions cover every row of the categorisation table
 * in the ECS mapping (the one Elastic's integration uses) plus a few it does not know, so the "anything else" branch gets exercised.
 * Technique names are public MITRE ATT&CK names; hosts, users and files are invented.
 */

export interface ConclusionProfile {
  conclusion: string;
  ruleName: string;
  detectionType: string;
  remediation: string | undefined;
  /** How the incident's message reads: from a host name plus techniques, or from a file name. */
  message: 'techniques' | 'sandbox' | 'plain';
}

const investigate = 'Review the activity recorded on the endpoint and collect a full dump of its data before changing anything.';
const isolate = 'Isolate the endpoint, remove the file and scan the other systems that received it.';
const credentials = 'Reset the credentials of accounts used on this endpoint and review administrative group membership.';

export const conclusionProfiles: readonly ConclusionProfile[] = [
  {
    conclusion: 'Suspicious Activity',
    ruleName: 'Advanced Attack Technique',
    detectionType: 'Advanced Analytics',
    remediation: investigate,
    message: 'techniques',
  },
  {
    conclusion: 'Malicious File',
    ruleName: 'Critical Cynic Detections',
    detectionType: 'Sandbox',
    remediation: isolate,
    message: 'sandbox',
  },
  {
    conclusion: 'Targeted Malware',
    ruleName: 'Targeted Attack Analytics',
    detectionType: 'Advanced Analytics',
    remediation: isolate,
    message: 'techniques',
  },
  {
    conclusion: 'Malicious Activity',
    ruleName: 'Advanced Attack Technique',
    detectionType: 'Advanced Analytics',
    remediation: credentials,
    message: 'techniques',
  },
  {
    conclusion: 'Dual Use Tool',
    ruleName: 'Dual Use Tool Execution',
    detectionType: 'Behavioral',
    remediation: investigate,
    message: 'plain',
  },
  { conclusion: 'Malware', ruleName: 'Endpoint Malware Detections', detectionType: 'Signature', remediation: isolate, message: 'plain' },
  { conclusion: 'Hacktool', ruleName: 'Hacktool Detections', detectionType: 'Signature', remediation: isolate, message: 'plain' },
  {
    conclusion: 'Breach',
    ruleName: 'Breach Detection',
    detectionType: 'Advanced Analytics',
    remediation: credentials,
    message: 'techniques',
  },
  { conclusion: 'Network Threat', ruleName: 'Intrusion Prevention', detectionType: 'Network', remediation: investigate, message: 'plain' },
  {
    conclusion: 'Potential Threat',
    ruleName: 'Suspicious Behavior',
    detectionType: 'Behavioral',
    remediation: undefined,
    message: 'plain',
  },
  {
    conclusion: 'Targeted Attack',
    ruleName: 'Targeted Attack Analytics',
    detectionType: 'Advanced Analytics',
    remediation: credentials,
    message: 'techniques',
  },
];

/** Conclusions outside the categorisation table: a mapper must leave event.category unset for these. */
export const unknownConclusionProfiles: readonly ConclusionProfile[] = [
  { conclusion: 'Policy Violation', ruleName: 'Application Control', detectionType: 'Policy', remediation: undefined, message: 'plain' },
  {
    conclusion: 'Unclassified Activity',
    ruleName: 'Custom Incident Rule',
    detectionType: 'Custom',
    remediation: investigate,
    message: 'plain',
  },
];

export const techniques: readonly string[] = [
  'Signed Binary Proxy Execution',
  'Deobfuscate/Decode Files or Information',
  'Command and Scripting Interpreter: PowerShell',
  'System Services: Service Execution',
  'OS Credential Dumping',
  'Remote Services: SMB/Windows Admin Shares',
  'Ingress Tool Transfer',
  'Scheduled Task/Job',
  'Process Injection',
  'Valid Accounts',
];

export const plainMessages: readonly string[] = [
  'Detection on endpoint',
  'Blocked execution of a known tool',
  'Outbound connection to a flagged address',
  'Repeated detections on the same endpoint',
];

export const userNames: readonly string[] = ['SYSTEM', 'alice.ng', 'b.okafor', 'svc-backup', 'carol', 'admin-ops'];

export const osNames: readonly string[] = [
  'Windows 10 Professional Edition',
  'Windows 11 Enterprise Edition',
  'Windows Server 2019 Datacenter Edition',
  'macOS 14',
  'Ubuntu 22.04',
];

export const fileNames: readonly { name: string; directory: string }[] = [
  { name: 'Chrome.exe', directory: 'C:\\Users\\edradmin\\Desktop' },
  { name: 'invoice_0423.docm', directory: 'C:\\Users\\alice.ng\\Downloads' },
  { name: 'update.ps1', directory: 'C:\\ProgramData\\Temp' },
  { name: 'rundll32.exe', directory: 'C:\\Windows\\System32' },
  { name: 'mimi.exe', directory: 'C:\\Users\\Public' },
  { name: 'f_00017f', directory: 'C:\\Users\\edradmin\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Cache' },
];

/** Public facts from the samples: the product behind incidents and the console link shape. */
export const incidentProduct = {
  uid: '31B0C880-0229-49E8-94C5-48D56B1BD7B9',
  name: 'Symantec Integrated Cyber Defense Manager',
  consoleUrl: 'https://sep.securitycloud.symantec.com/v2/incidents/incidentListing',
};

export const eventProduct = {
  uid: 'E3A8F790-52A2-4BE3-87D7-93698CDDD021',
  name: 'Symantec Endpoint Detection and Response',
  featureUid: '3F3DC574-02A7-11E9-8EB2-F2801F1B9FD1',
  featureName: 'Endpoint Detection and Response',
  version: '14.3.9513.7000',
};
