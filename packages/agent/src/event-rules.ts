import { UsageError } from '@smeconf/errors';
import type { ChangedRecord } from './sync.ts';

/**
 * Which event a changed record of the copy signals (`smeconf agent --on`):
 * `DB/KEY=EVENT` for one record, signalled once per step with no argument
 * (`configuration/sshd=remoteaccess-update`); `DB/type:TYPE=EVENT` for every
 * record of that type (before or after the change), signalled once per
 * record with its key as the argument, as SME's `user-modify alice`.
 */
export interface EventRule {
  readonly db: string;
  readonly key?: string;
  readonly type?: string;
  readonly event: string;
}

/** One event to signal: its name and arguments. */
export interface EventCall {
  readonly event: string;
  readonly args: readonly string[];
}

const RULE = /^([^/=]+)\/(?:type:([^=]+)|([^=]+))=(.+)$/;

export function parseEventRule(text: string): EventRule {
  const match = RULE.exec(text);
  if (match === null) throw new UsageError(`--on ${JSON.stringify(text)}: expected DB/KEY=EVENT or DB/type:TYPE=EVENT`);
  const [, db, type, key, event] = match;
  return { db: db!, ...(type !== undefined ? { type } : { key: key! }), event: event! };
}

/** The events a step's changed records call for, rule by rule, each call once. */
export function eventsFor(records: readonly ChangedRecord[], rules: readonly EventRule[]): EventCall[] {
  const calls: EventCall[] = [];
  const seen = new Set<string>();
  const add = (call: EventCall) => {
    const id = JSON.stringify(call);
    if (seen.has(id)) return;
    seen.add(id);
    calls.push(call);
  };
  for (const rule of rules) {
    for (const record of records) {
      if (record.db !== rule.db) continue;
      if (rule.key !== undefined && record.key === rule.key) add({ event: rule.event, args: [] });
      if (rule.type !== undefined && record.types.includes(rule.type)) add({ event: rule.event, args: [record.key] });
    }
  }
  return calls;
}
