// Not output: adds what the other fragments of httpd.conf share to their
// data, once: httpListen, sslListen, vhostAddress, httpPort, sslPort,
// sslReady, sslCrt, sslKey, sslChain (computed by smeconf: docs/templates.md).
export default function vars({ data, httpd }) {
  Object.assign(data, httpd());
  return '';
}
