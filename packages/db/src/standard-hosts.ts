import { sortBytes } from './byte-order.ts';
import type { ConfigDb } from './config-db.ts';
import type { Op } from './ops.ts';
import type { RecordData } from './record.ts';

/** The hosts SME gives every domain, besides `<SystemName>.<domain>`. */
export const STANDARD_HOST_LABELS: readonly string[] = ['ftp', 'mail', 'proxy', 'wpad', 'www'];

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DNS_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);
const DNS_LABEL = new RegExp(`^${LABEL}$`);

/** A DNS name (letters, digits, hyphens; dot-separated labels of 1-63). */
export function isDomainName(value: string): boolean {
  return DNS_NAME.test(value);
}

/**
 * The standard host names of a domain, in byte order: ftp., mail., proxy.,
 * wpad., www. and `<systemName>.` (left out when it is not one DNS label).
 */
export function standardHostNames(domain: string, systemName: string | undefined): string[] {
  const labels = new Set(STANDARD_HOST_LABELS);
  if (systemName !== undefined && DNS_LABEL.test(systemName)) labels.add(systemName);
  return sortBytes([...labels].map((label) => `${label}.${domain}`));
}

/** A standard host as SME creates it: type host, HostType Self. */
export const standardHostRecord = (): RecordData => ({ type: 'host', props: new Map([['HostType', 'Self']]) });

/** The configuration's SystemName (its type, as in SME), if any. */
export async function systemNameOf(configuration: ConfigDb): Promise<string | undefined> {
  return (await configuration.get('SystemName'))?.type || undefined;
}

/**
 * Creates the standard hosts of `domain` that do not exist, in one batch:
 * a record that exists (whatever it holds) is never changed. Returns the
 * names created.
 */
export async function createStandardHosts(hosts: ConfigDb, domain: string, systemName: string | undefined): Promise<string[]> {
  const names = standardHostNames(domain, systemName);
  const ops: Op[] = names.map((key) => ({ op: 'create', key, record: standardHostRecord() }));
  const { existed } = await hosts.batch(ops);
  return names.filter((_, index) => existed[index] !== true);
}

export interface RemovedHosts {
  /** Standard hosts of the domain still served here (type host, HostType Self), now deleted. */
  readonly removed: string[];
  /** Other hosts of the domain: standard names the admin turned into something else, and the admin's own. */
  readonly kept: string[];
}

/**
 * Deletes the standard hosts of `domain` that are still of type host with
 * HostType Self (other props, such as letsencryptSSLcert, do not matter),
 * in one batch, and names the hosts of the domain it left alone.
 */
export async function removeStandardHosts(hosts: ConfigDb, domain: string, systemName: string | undefined): Promise<RemovedHosts> {
  const standard = new Set(standardHostNames(domain, systemName));
  const removed: string[] = [];
  const kept: string[] = [];
  for (const { key, type, props } of await hosts.list()) {
    if (key.slice(key.indexOf('.') + 1) !== domain) continue;
    if (standard.has(key) && type === 'host' && props.get('HostType') === 'Self') removed.push(key);
    else kept.push(key);
  }
  if (removed.length > 0) await hosts.batch(removed.map((key) => ({ op: 'delete', key })));
  return { removed, kept };
}
