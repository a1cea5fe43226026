// Says on stderr, without failing the event, that Let's Encrypt cannot issue
// a certificate while its terms of service are not accepted (status test or
// enabled without `ACCEPT_TERMS yes`): `smeconf letsencrypt renew` and the
// daily cron job refuse until then (docs/letsencrypt.md).
export default async function checkLetsencryptTerms({ db, log, warn }) {
  const record = await db('configuration').get('letsencrypt');
  const status = record?.props.get('status') ?? 'disabled';
  if (status === 'disabled' || record?.props.get('ACCEPT_TERMS') === 'yes') return;
  const line = "warning: the Let's Encrypt terms of service are not accepted: no certificate can be issued; to accept them: config setprop letsencrypt ACCEPT_TERMS yes";
  log(line);
  warn(line); // shown even when the event succeeds (signal-event is otherwise silent then)
}
