// @smeconf/certificates: the certificate catalogue (codes, cause, fix), the
// local inspection of the deployed files and the served certificate check
// behind `smeconf cert status` (docs/certificates.md).
export { CATALOGUE, NUMBERED_FAMILIES, numberedCode, describeCode, finding, type CodeEntry, type Finding, type NumberedFamily, type Severity } from './codes.ts';
export {
  certificateSources,
  readCertificateInputs,
  inspectCertificate,
  verifyChain,
  nameMatches,
  parsePems,
  type CertificateSources,
  type CertificateInputs,
  type CertificateDetails,
  type ChainResult,
  type Inspection,
  type InspectOptions,
} from './inspect.ts';
export { servedFingerprint, checkServed, type ServedResult, type ServedOptions } from './served.ts';
export { certificateStatus, formatStatus, type CertificateStatus, type NameRow } from './status.ts';
export {
  CERTIFICATES_DB,
  LAST_RUN,
  OK,
  oneLine,
  readCertificateRecords,
  recordChecks,
  recordAttempts,
  recordSkipped,
  recordRun,
  type CertificateRecords,
  type NameRecord,
  type RunRecord,
  type NameOutcome,
} from './records.ts';
export { collectStatus, expiryDaysOf, SYSTEM_TRUST_STORE, DEFAULT_EXPIRY_DAYS, type StatusInput, type CertificateView } from './collect.ts';
export { pathInsideRoot } from './root-path.ts';
export {
  preflight,
  DEFAULT_PREFLIGHT_TIMEOUT_MS,
  localAddresses,
  canonicalAddress,
  parseAddressList,
  parseResolverServers,
  matchingAddresses,
  resolveName,
  dnsOutcome,
  CHALLENGE_DIR,
  placeProbe,
  fetchChallenge,
  MAX_REDIRECTS,
  type PreflightOptions,
  type PreflightOutcome,
  type NameResolver,
  type DnsResult,
  type Probe,
  type ChallengeTarget,
  type ChallengeResult,
} from './preflight/index.ts';
export {
  classifyMessage,
  classifyProblem,
  classifyChallengeResult,
  classifyRequestFailure,
  parseProblem,
  parseJsonsh,
  REQUEST_FAILED,
  CLIENT_FAILED,
  type Classification,
  type Problem,
} from './capture/classify.ts';
export {
  hookCall,
  certificatePathOf,
  domainsTxtNames,
  RUNNING,
  type Attempt,
  type AttemptResult,
  type CertificateFacts,
  type HookInput,
  type HookRecords,
  type RenewalEvent,
} from './capture/hook-call.ts';
export { readCertificateFacts } from './capture/certificate-file.ts';
