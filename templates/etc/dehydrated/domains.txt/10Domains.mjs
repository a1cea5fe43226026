// The names of the certificate, on one line (dehydrated: one line = one
// certificate, the first name naming it): the primary domain first, then
// domains and hosts as `configure` says, each name once (SME repeated them).
export default function domains({ prop, db, keys }) {
  const status = prop('letsencrypt', 'status', 'disabled');
  if (status === 'disabled') return '# letsencrypt is disabled\n\n';
  const configure = prop('letsencrypt', 'configure', 'none');
  const primary = db('configuration', 'DomainName');
  const enabled = (database, key) => db(database, key, 'letsencryptSSLcert') === 'enabled';
  const names = [];
  const add = (name) => {
    if (name && !names.includes(name)) names.push(name);
  };
  if (primary && (configure === 'all' || configure === 'domains' || enabled('domains', primary))) add(primary);
  // SME's order: each domain, then the hosts of that domain
  for (const domain of keys('domains')) {
    if (configure === 'all' || configure === 'domains' || enabled('domains', domain)) add(domain);
    for (const host of keys('hosts')) {
      const ofDomain = host.slice(host.indexOf('.') + 1) === domain;
      if (configure === 'all' || configure === 'hosts') add(host);
      else if (ofDomain && enabled('hosts', host) && db('hosts', host, 'HostType') === 'Self') add(host);
    }
  }
  for (const name of names) {
    if (!/^[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(name)) throw new Error(`not a domain name: ${JSON.stringify(name)}`);
  }
  return names.map((name) => `${name} `).join('') + '\n';
}
