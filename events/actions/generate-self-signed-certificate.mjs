// SME always serves HTTPS: until Let's Encrypt deploys a certificate (and
// again once modSSL's crt and key are removed), httpd.conf uses the server's
// own self-signed certificate. This makes it when there is none, and anew
// when the names served or modSSL keysize changed or it nears its end, and
// records it in modSSL SelfSignedCrt/SelfSignedKey (docs/letsencrypt.md).
// Link it after S00 and before S05 (the expand step) of an event that
// expands httpd.conf. `smeconf letsencrypt self-signed [--force]` does the
// same by hand.
import { ensureFallbackCertificate } from '@smeconf/cli/letsencrypt';

export default async function generateSelfSignedCertificate({ root, env, db, log }) {
  const result = await ensureFallbackCertificate(db, { root, env, now: new Date() });
  if (result?.made !== undefined) log(`made the self-signed certificate ${result.files.crt} (${result.names.join(' ')}; RSA ${result.keySize}; ${result.made})`);
}
