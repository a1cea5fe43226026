import { isDomainName, sortBytes } from '@smeconf/db';
import type { DbRecord } from '@smeconf/db';

export interface NamesInput {
  /** The type of configuration's DomainName record. */
  readonly domainName: string;
  /** The type of configuration's SystemName record. */
  readonly systemName: string;
  readonly domains: readonly DbRecord[];
  readonly hosts: readonly DbRecord[];
}

/**
 * The names of the self-signed certificate, the names httpd.conf serves:
 * the primary domain first, then SystemName.DomainName (the server's own
 * name, ServerName of httpd.conf), then every domain record of type
 * `domain` (each has VirtualHosts), then every host of type `host`,
 * HostType Self, of one of those domains (their ServerAliases), each in
 * byte order of the keys and once (DNS names compare case-insensitively).
 * A key that is not a DNS name is left out (the templates report it).
 */
export function certificateNames(input: NamesInput): string[] {
  const domains = input.domains.filter((record) => record.type === 'domain').map((record) => record.key);
  const served = new Set([input.domainName, ...domains].map((name) => name.toLowerCase()));
  const hosts = input.hosts
    .filter((record) => record.type === 'host' && record.props.get('HostType') === 'Self')
    .map((record) => record.key)
    .filter((name) => served.has(name.slice(name.indexOf('.') + 1).toLowerCase()));
  const names: string[] = [];
  const seen = new Set<string>();
  for (const name of [input.domainName, `${input.systemName}.${input.domainName}`, ...sortBytes(domains), ...sortBytes(hosts)]) {
    if (!isDomainName(name) || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    names.push(name);
  }
  return names;
}
