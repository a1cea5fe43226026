// `@smeconf/cli/letsencrypt`: the certificate logic the stock event actions
// run in-process (events/actions/generate-self-signed-certificate.mjs), as
// `smeconf letsencrypt` does from the command line (docs/letsencrypt.md).
export { ensureFallbackCertificate, type FallbackOptions, type FallbackResult } from './fallback-certificate.ts';
export { certificateNames, type NamesInput } from './certificate-names.ts';
export { selfSignedFiles, keySizeOf, whyRenew, makeSelfSigned, VALID_DAYS, type CertificateFiles, type SelfSignedSpec } from './self-signed.ts';
export { dehydratedArgs, dehydratedConfigFile, runDehydrated, type DehydratedAction, type DehydratedRequest, type RunDehydratedOptions } from './dehydrated.ts';
