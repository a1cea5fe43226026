// SME's domain-delete-hostentries: `signal-event domain-delete DOMAIN`, after
// `db domains delete DOMAIN` (or, as SME's server-manager does, with the
// record's type set to domain-deleted), deletes the standard hosts of DOMAIN
// that are still served here (type host, HostType Self). Hosts the admin
// made (other names) or turned into something else (another HostType) stay,
// and are named in the output.
import { isDomainName, removeStandardHosts, systemNameOf } from '@smeconf/db';

export default async function domainDeleteHostentries({ args, db, log }) {
  const domain = args[0];
  if (domain === undefined) throw new Error('no domain given: signal-event domain-delete DOMAIN');
  if (!isDomainName(domain)) throw new Error(`not a domain name: ${JSON.stringify(domain)}`);
  const configuration = db('configuration');
  if ((await configuration.get('DomainName'))?.type === domain) {
    throw new Error(`${domain} is the primary domain (DomainName): set DomainName to another domain first`);
  }
  if ((await db('domains').get(domain))?.type === 'domain') {
    throw new Error(`the domains record ${domain} still exists: delete it first (db domains delete ${domain})`);
  }
  const { removed, kept } = await removeStandardHosts(db('hosts'), domain, await systemNameOf(configuration));
  log(removed.length > 0 ? `deleted hosts ${removed.join(' ')}` : `no standard host of ${domain} left to delete`);
  if (kept.length > 0) log(`kept hosts ${kept.join(' ')} (yours: delete them with db hosts delete NAME)`);
}
