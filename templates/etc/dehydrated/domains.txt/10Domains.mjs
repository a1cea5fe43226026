// The names of the certificate, on one line (dehydrated: one line = one
// certificate, the first name naming it): the primary domain first, then
// domains and hosts as `configure` says, each name once (SME repeated them).
// Names are guarded values: one that is not a DNS name fails the target
// when printed ("a key of hosts is not a domain name: …"); `raw` is used
// only to compare them.
export default function domains({ prop, db, keys, raw }) {
  const status = prop('letsencrypt', 'status', 'disabled');
  if (status === 'disabled') return '# letsencrypt is disabled\n\n';
  const configure = prop('letsencrypt', 'configure', 'none');
  const primary = db('configuration', 'DomainName');
  const enabled = (database, key) => db(database, key, 'letsencryptSSLcert') === 'enabled';
  const names = [];
  const add = (name) => {
    if (name && !names.some((known) => raw(known) === raw(name))) names.push(name);
  };
  if (primary && (configure === 'all' || configure === 'domains' || enabled('domains', primary))) add(primary);
  // SME's order: each domain, then the hosts of that domain
  for (const domain of keys('domains')) {
    if (configure === 'all' || configure === 'domains' || enabled('domains', domain)) add(domain);
    for (const host of keys('hosts')) {
      const ofDomain = raw(host).slice(raw(host).indexOf('.') + 1) === raw(domain);
      if (configure === 'all' || configure === 'hosts') add(host);
      else if (ofDomain && enabled('hosts', host) && db('hosts', host, 'HostType') === 'Self') add(host);
    }
  }
  return names.map((name) => `${name} `).join('') + '\n';
}
