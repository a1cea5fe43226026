import type { RecordData } from '@smeconf/db';
import { ToolError } from '@smeconf/errors';

/** A unit or init script name: no option, path or shell syntax can hide in it. */
const PLAIN = /^[A-Za-z0-9_][A-Za-z0-9_.@:-]*$/;

/**
 * The system's name for a service (its systemd unit, SysV script or runit
 * service): the record's `ServiceName` prop (the stock httpd-e-smith is
 * Debian's `apache2`), else the record's key, as on SME.
 */
export function unitName(service: string, record: RecordData): string {
  const named = record.props.get('ServiceName');
  if (named === undefined || named === '') return service;
  if (!PLAIN.test(named)) {
    throw new ToolError('E_SVC_CONTROL', `the ServiceName prop must be a plain unit or script name (letters, digits, _ . @ : -; not starting with - or .), got ${JSON.stringify(named)}`);
  }
  return named;
}
