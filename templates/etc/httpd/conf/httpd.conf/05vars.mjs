// Not output: derives, once, what the other fragments of httpd.conf share
// (addresses, ports, which certificate HTTPS uses) and adds it to the data.
// Values are guarded: an address or port failing its format throws when the
// template literals below turn it into text, or when a fragment prints it.
// The certificate: the deployed one (modSSL crt/key, set by the dehydrated
// hook) when both are set, else the server's self-signed one (modSSL
// SelfSignedCrt/SelfSignedKey, made by console-save): SME always serves HTTPS.
export default function vars({ data, prop }) {
  const address = prop('httpd-e-smith', 'ListenAddress', '');
  const httpPort = prop('httpd-e-smith', 'TCPPort', '80');
  const sslPort = prop('modSSL', 'TCPPort', '443');
  const deployed = Boolean(prop('modSSL', 'crt')) && Boolean(prop('modSSL', 'key'));
  const selfSigned = Boolean(prop('modSSL', 'SelfSignedCrt')) && Boolean(prop('modSSL', 'SelfSignedKey'));
  const sslReady = prop('modSSL', 'status', 'disabled') === 'enabled' && (deployed || selfSigned);
  Object.assign(data, {
    httpListen: address ? `${address}:${httpPort}` : httpPort,
    sslListen: address ? `${address}:${sslPort}` : sslPort,
    vhostAddress: address || '*',
    httpPort,
    sslPort,
    sslReady,
    sslCrt: sslReady ? prop('modSSL', deployed ? 'crt' : 'SelfSignedCrt') : '',
    sslKey: sslReady ? prop('modSSL', deployed ? 'key' : 'SelfSignedKey') : '',
    // the chain belongs to the deployed certificate only
    sslChain: sslReady && deployed ? prop('modSSL', 'CertificateChainFile', '') : '',
  });
  return '';
}
