// The names of the certificate on one line (dehydrated: one line = one
// certificate, the first name naming it), in SME's order, each name once
// (computed by smeconf: docs/templates.md). A name that is not a DNS name
// fails the target when printed. With letsencrypt SkipFailingNames enabled,
// a name the last renewal's preflight left out (certificates db, Skipped
// yes) is not asked for until it passes again (docs/certificates.md).
export default function domains({ certificateNames, prop, db, raw }) {
  const names = certificateNames();
  if (names === undefined) return '# letsencrypt is disabled\n\n';
  const skipping = raw(prop('letsencrypt', 'SkipFailingNames', 'enabled')) === 'enabled';
  const asked = skipping ? names.filter((name, index) => index === 0 || raw(db('certificates', name, 'Skipped')) !== 'yes') : names;
  return asked.map((name) => `${name} `).join('') + '\n';
}
