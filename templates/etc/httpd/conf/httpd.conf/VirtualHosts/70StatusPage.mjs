// The status page of `smeconf serve` (docs/status-page.md) behind Apache:
// off unless `statuspage ApacheLocation` is set (a plain URL path such as
// /certificates), and then only in the primary domain's HTTPS VirtualHost.
// The page keeps its own token: Apache passes the Authorization header on.
// Named 70 so that its ProxyPass comes before 90ProxyCatchAll's `/`.
export default function statusPage({ data, db, prop, raw }) {
  const location = prop('statuspage', 'ApacheLocation', '');
  const https = data.sslReady && String(raw(data.port)) === String(raw(data.sslPort));
  if (raw(location) === '' || !https || raw(data.virtualHost) !== raw(db('configuration', 'DomainName'))) return '';
  const path = `${location}`.replace(/\/+$/, ''); // printing it applies the guard (a plain path)
  if (!/^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/.test(path) || path.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new Error(`configuration statuspage ApacheLocation ${JSON.stringify(raw(location))} is not a plain URL path such as /certificates`);
  }
  const address = `${prop('statuspage', 'ListenAddress', '127.0.0.1')}`;
  const target = `http://${{ '0.0.0.0': '127.0.0.1', '[::]': '[::1]' }[address] ?? address}:${prop('statuspage', 'TCPPort', '8089')}/`;
  return [
    '    # the status page (smeconf serve), with its own token',
    `    ProxyPassMatch "^${path.replaceAll('.', '\\.')}$" !`,
    `    RedirectMatch "^${path.replaceAll('.', '\\.')}$" "${path}/"`,
    `    ProxyPass ${path}/ ${target}`,
    `    ProxyPassReverse ${path}/ ${target}`,
    '',
  ].join('\n');
}
