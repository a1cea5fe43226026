// The names of the certificate on one line (dehydrated: one line = one
// certificate, the first name naming it), in SME's order, each name once
// (computed by smeconf: docs/templates.md). A name that is not a DNS name
// fails the target when printed.
export default function domains({ certificateNames }) {
  const names = certificateNames();
  if (names === undefined) return '# letsencrypt is disabled\n\n';
  return names.map((name) => `${name} `).join('') + '\n';
}
