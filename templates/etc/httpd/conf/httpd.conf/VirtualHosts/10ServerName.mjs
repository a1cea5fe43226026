// ServerName, and a ServerAlias for every host of this domain that lives
// here (hosts record of type host, HostType Self, not a domain of its own).
export default function serverName({ data, records, db }) {
  const domain = String(data.virtualHost);
  const aliases = records('hosts', 'host')
    .filter((host) => String(host.HostType) === 'Self')
    .map((host) => host.key)
    .filter((name) => name.slice(name.indexOf('.') + 1) === domain && db('domains', name) === undefined);
  return `    ServerName ${domain}\n` + aliases.map((name) => `    ServerAlias ${name}\n`).join('');
}
