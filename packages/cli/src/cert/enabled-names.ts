import type { DbRecord } from '@smeconf/db';
import { certificateNames as letsencryptNames } from '@smeconf/templates/stock-values';
import { certificateNames as selfSignedNames } from '../letsencrypt/certificate-names.ts';

export interface NameRecords {
  readonly configuration: readonly DbRecord[];
  readonly domains: readonly DbRecord[];
  readonly hosts: readonly DbRecord[];
}

/**
 * The names the certificate must hold: with letsencrypt on, the names
 * domains.txt holds (the stock templates' own function, over the records);
 * else the names of the self-signed certificate httpd.conf serves.
 */
export function enabledNames(records: NameRecords): string[] {
  const byDb = new Map(Object.entries(records).map(([db, list]) => [db, new Map((list as readonly DbRecord[]).map((record) => [record.key, record]))]));
  const db = (name: string, key: unknown, prop?: string) => {
    const record = byDb.get(name)?.get(String(key));
    return prop === undefined ? record?.type : record?.props.get(prop);
  };
  const names = letsencryptNames({
    db,
    prop: (key, prop, fallback) => db('configuration', key, prop) ?? fallback,
    keys: (name) => [...(byDb.get(name)?.keys() ?? [])],
  });
  if (names !== undefined) return names.map(String);
  return selfSignedNames({
    domainName: db('configuration', 'DomainName') ?? '',
    systemName: db('configuration', 'SystemName') ?? '',
    domains: records.domains,
    hosts: records.hosts,
  });
}
