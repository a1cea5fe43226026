import type { RecordData } from '@smeconf/db';

const STOPPING = new Set(['down', 'stop', 'd', 'once', 'o']);
const STARTING = new Set([...STOPPING, 'start', 'restart', 'reload-or-restart', 'reload']);

/** Events whose services SME never adjusts. */
export const NO_ADJUST_EVENTS = new Set(['post-upgrade', 'bootstrap-console-save']);

/**
 * SME's rule (its adjust-services action, docs/events.md): a service whose record has status
 * other than `enabled` is only stopped; an enabled one is started first
 * unless a verb already starts or stops it.
 */
export function serviceVerbs(listed: readonly string[], record: RecordData): string[] {
  if (record.props.get('status') !== 'enabled') return ['stop'];
  return listed.some((verb) => STARTING.has(verb)) ? [...listed] : ['start', ...listed];
}
