import type { ConfigDb } from './config-db.ts';
import type { DbRecord } from './record.ts';
import { createStandardHosts, isDomainName, removeStandardHosts, systemNameOf } from './standard-hosts.ts';

/** The prop (SME's) that marks the primary domain's record in `domains`. */
export const PRIMARY_MARK = 'SystemPrimaryDomain';

export interface PrimaryDomainOptions {
  readonly open: (db: string) => ConfigDb;
  readonly log: (line: string) => void;
}

/**
 * What SME's domains migrate fragment does, as initialize-default-databases'
 * last step (docs/decisions.md, issue #10): the primary domain's record is
 * the one named by DomainName.
 *
 * - A record marked SystemPrimaryDomain that DomainName no longer names is
 *   deleted with its standard hosts if it is still exactly as created
 *   (so the stock example.com goes once DomainName changes); one the admin
 *   changed stays, as an ordinary domain (the mark is removed).
 * - The DomainName record is created, or marked, when it is not marked
 *   yet; only then are its missing standard hosts created. A marked
 *   record is left alone: a standard host deleted since stays deleted.
 */
export async function ensurePrimaryDomain(options: PrimaryDomainOptions): Promise<void> {
  const configuration = options.open('configuration');
  const domains = options.open('domains');
  const hosts = options.open('hosts');
  const primary = (await configuration.get('DomainName'))?.type ?? '';
  const systemName = await systemNameOf(configuration);

  for (const record of await domains.list()) {
    if (record.key === primary || !(isMarked(record) || isFormerStock(record))) continue;
    if (isUntouched(record) || isFormerStock(record)) {
      const { removed } = await removeStandardHosts(hosts, record.key, systemName);
      await domains.delete(record.key);
      options.log(`Removing former primary domain ${record.key}${removed.length > 0 ? ` and its standard hosts ${removed.join(' ')}` : ''}`);
    } else {
      await domains.delProps(record.key, [PRIMARY_MARK]);
      options.log(`Keeping former primary domain ${record.key} as an ordinary domain (changed since it was created)`);
    }
  }

  if (primary === '') return;
  if (!isDomainName(primary)) {
    options.log(`DomainName ${JSON.stringify(primary)} is not a domain name: no primary domain record`);
    return;
  }
  const current = await domains.get(primary);
  if (current !== undefined && (current.type !== 'domain' || current.props.get(PRIMARY_MARK) === 'yes')) return;
  // hosts first, the mark last: an interrupted run is redone by the next one
  const created = await createStandardHosts(hosts, primary, systemName);
  const { existed } = await domains.batch([
    { op: 'fill', key: primary, record: { type: 'domain', props: new Map() } },
    { op: 'setProps', key: primary, props: new Map([[PRIMARY_MARK, 'yes']]) },
  ]);
  options.log(existed[0] === true ? `Marking ${primary} as the primary domain (DomainName)` : `Creating primary domain ${primary} (DomainName)`);
  if (created.length > 0) options.log(`Creating standard hosts ${created.join(' ')}`);
}

const isMarked = (record: DbRecord) => record.props.get(PRIMARY_MARK) === 'yes';

/** What ensurePrimaryDomain creates (with, at most, the former stock `letsencryptSSLcert disabled`). */
const isUntouched = (record: DbRecord) =>
  record.type === 'domain' && isMarked(record) && [...record.props].every(([name, value]) => name === PRIMARY_MARK || (name === 'letsencryptSSLcert' && value === 'disabled'));

/** The record earlier versions' defaults created whatever DomainName said. */
const isFormerStock = (record: DbRecord) =>
  record.key === 'example.com' && record.type === 'domain' && record.props.size === 1 && record.props.get('letsencryptSSLcert') === 'disabled';
