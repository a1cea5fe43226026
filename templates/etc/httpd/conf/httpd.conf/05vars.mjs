// Not output: derives, once, what the other fragments of httpd.conf share
// (addresses, ports, whether a certificate is ready) and adds it to the data.
// Values are guarded: an address or port failing its format throws when the
// template literals below turn it into text, or when a fragment prints it.
export default function vars({ data, prop }) {
  const address = prop('httpd-e-smith', 'ListenAddress', '');
  const httpPort = prop('httpd-e-smith', 'TCPPort', '80');
  const sslPort = prop('modSSL', 'TCPPort', '443');
  const sslReady = prop('modSSL', 'status', 'disabled') === 'enabled' && Boolean(prop('modSSL', 'crt')) && Boolean(prop('modSSL', 'key'));
  Object.assign(data, {
    httpListen: address ? `${address}:${httpPort}` : httpPort,
    sslListen: address ? `${address}:${sslPort}` : sslPort,
    vhostAddress: address || '*',
    httpPort,
    sslPort,
    sslReady,
  });
  return '';
}
