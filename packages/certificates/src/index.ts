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
export { collectStatus, expiryDaysOf, SYSTEM_TRUST_STORE, DEFAULT_EXPIRY_DAYS, type StatusInput } from './collect.ts';
export { pathInsideRoot } from './root-path.ts';
