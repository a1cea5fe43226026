import type { ErrorCode } from '@smeconf/errors';

/** Exit statuses; 0 and 1 keep SME's meaning (done / not found). */
export const ExitCodes = {
  OK: 0,
  NOT_FOUND: 1,
  USAGE: 2,
  DATA: 3,
  IO: 4,
  TEMPLATE: 5,
  /** `smeconf cert status`: warnings only (docs/certificates.md). */
  CERT_WARNINGS: 10,
  /** `smeconf cert status`: at least one error. */
  CERT_ERRORS: 11,
  INTERNAL: 70,
} as const;

/** The exit status for each error code (docs/errors.md lists the same table). */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'E_USAGE':
    case 'E_ROOT_MISSING':
    case 'E_DB_BACKEND_UNKNOWN':
    case 'E_DB_NAME_INVALID':
    case 'E_LAYER_INVALID':
      return ExitCodes.USAGE;
    case 'E_EVT_INVALID_NAME':
    case 'E_EVT_NOT_FOUND':
      return ExitCodes.USAGE;
    case 'E_DB_KEY_INVALID': // SME refuses a key with a newline with exit 1
    case 'E_SVC_CONTROL':
    case 'E_EVT_ACTION_FAILED': // SME's signal-event exits 1 when a handler failed
      return ExitCodes.NOT_FOUND;
    case 'E_DB_PROP_INVALID':
    case 'E_DB_VALUE_UNREPRESENTABLE':
    case 'E_DB_NO_HISTORY':
    case 'E_ROLLOUT_ACTIVE':
    case 'E_ROLLOUT_STOPPED':
    case 'E_ROLLOUT_STATE':
    case 'E_LE_DISABLED':
    case 'E_LE_TERMS_NOT_ACCEPTED':
    case 'E_SERVE_NO_TOKEN':
      return ExitCodes.DATA;
    case 'E_TPL_NO_FRAGMENTS':
    case 'E_TPL_RENDER':
    case 'E_TPL_METADATA':
    case 'E_TPL_UNSAFE_VALUE':
    case 'E_TPL_PATH':
    case 'E_TPL_CHECK':
    case 'E_TPL_PERL_FRAGMENT':
      return ExitCodes.TEMPLATE;
    case 'E_TPL_OUTPUT':
    case 'E_DB_IO':
    case 'E_DB_BUSY':
    case 'E_DB_CORRUPT':
    case 'E_DB_FULL':
    case 'E_DB_READONLY':
    case 'E_DB_CONFLICT':
    case 'E_DB_UNREACHABLE':
    case 'E_DB_NO_QUORUM':
    case 'E_DB_HISTORY_COMPACTED':
    case 'E_LE_UNAVAILABLE':
    case 'E_SSL_SELF_SIGNED':
    case 'E_SERVE_LISTEN':
      return ExitCodes.IO;
    case 'E_LE_PREFLIGHT_FAILED':
      return ExitCodes.CERT_ERRORS;
    case 'E_INTERNAL':
      return ExitCodes.INTERNAL;
  }
}
