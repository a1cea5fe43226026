// SME's domain-create-hostentries: `signal-event domain-create DOMAIN`, after
// `db domains set DOMAIN domain …`, gives DOMAIN SME's standard hosts (ftp.,
// mail., proxy., wpad., www. and <SystemName>.: type host, HostType Self).
// Only missing ones are created: a host record that exists is never changed.
import { createStandardHosts, isDomainName, systemNameOf } from '@smeconf/db';

export default async function domainCreateHostentries({ args, db, log }) {
  const domain = args[0];
  if (domain === undefined) throw new Error('no domain given: signal-event domain-create DOMAIN');
  if (!isDomainName(domain)) throw new Error(`not a domain name: ${JSON.stringify(domain)}`);
  const record = await db('domains').get(domain);
  if (record === undefined) throw new Error(`no domains record ${domain}: create it first (db domains set ${domain} domain)`);
  if (record.type !== 'domain') throw new Error(`the domains record ${domain} has type ${JSON.stringify(record.type)}, not domain`);
  const created = await createStandardHosts(db('hosts'), domain, await systemNameOf(db('configuration')));
  log(created.length > 0 ? `created hosts ${created.join(' ')}` : `the standard hosts of ${domain} exist already`);
}
