/**
 * Every stable error code smeconf can report. Codes are never renamed or
 * removed, only added; docs/errors.md lists them with their exit statuses.
 */
export const ErrorCodes = {
  E_USAGE: 'E_USAGE',
  E_DB_KEY_INVALID: 'E_DB_KEY_INVALID',
  E_DB_PROP_INVALID: 'E_DB_PROP_INVALID',
  E_DB_VALUE_UNREPRESENTABLE: 'E_DB_VALUE_UNREPRESENTABLE',
  E_DB_IO: 'E_DB_IO',
  E_DB_BUSY: 'E_DB_BUSY',
  E_DB_CORRUPT: 'E_DB_CORRUPT',
  E_DB_CONFLICT: 'E_DB_CONFLICT',
  E_DB_NO_HISTORY: 'E_DB_NO_HISTORY',
  E_DB_BACKEND_UNKNOWN: 'E_DB_BACKEND_UNKNOWN',
  E_TPL_NO_FRAGMENTS: 'E_TPL_NO_FRAGMENTS',
  E_TPL_RENDER: 'E_TPL_RENDER',
  E_TPL_METADATA: 'E_TPL_METADATA',
  E_TPL_UNSAFE_VALUE: 'E_TPL_UNSAFE_VALUE',
  E_TPL_OUTPUT: 'E_TPL_OUTPUT',
  E_EVT_INVALID_NAME: 'E_EVT_INVALID_NAME',
  E_EVT_NOT_FOUND: 'E_EVT_NOT_FOUND',
  E_SVC_CONTROL: 'E_SVC_CONTROL',
  E_INTERNAL: 'E_INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];
