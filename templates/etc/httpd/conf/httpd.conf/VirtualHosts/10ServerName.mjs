// ServerName, and a ServerAlias for every host of this domain that lives
// here (hosts record of type host, HostType Self, not a domain of its own).
// Keys are guarded values (a name that is not a DNS name fails when
// printed); `raw` is used only to compare them.
export default function serverName({ data, records, db, raw }) {
  const domain = data.virtualHost;
  const aliases = records('hosts', 'host')
    .filter((host) => raw(host.HostType) === 'Self')
    .map((host) => host.key)
    .filter((name) => raw(name).slice(raw(name).indexOf('.') + 1) === raw(domain) && db('domains', name) === undefined);
  return `    ServerName ${domain}\n` + aliases.map((name) => `    ServerAlias ${name}\n`).join('');
}
