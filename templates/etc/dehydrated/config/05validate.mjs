// Refuses a letsencrypt record that would give dehydrated a wrong
// configuration: the whole event then fails and the working files stay.
// It checks the raw values, to say what is expected; the declared formats
// (packages/templates/src/value-formats.ts) still guard what 10config prints.
export default function validate({ prop: guarded, raw }) {
  const prop = (key, name) => raw(guarded(key, name));
  const check = (name, value, ok, expected) => {
    if (value !== undefined && !ok(value)) throw new Error(`letsencrypt ${name} is ${JSON.stringify(value)}: expected ${expected}`);
  };
  check('status', prop('letsencrypt', 'status'), (v) => ['disabled', 'test', 'enabled'].includes(v), 'disabled, test or enabled');
  check('configure', prop('letsencrypt', 'configure'), (v) => ['none', 'all', 'domains', 'hosts'].includes(v), 'none, all, domains or hosts');
  check('email', prop('letsencrypt', 'email'), (v) => v === '' || /^[^\s@]+@[^\s@]+$/.test(v), 'an e-mail address');
  check('keysize', prop('letsencrypt', 'keysize'), (v) => v === '' || /^\d+$/.test(v), 'a number of bits');
  check('ACCEPT_TERMS', prop('letsencrypt', 'ACCEPT_TERMS'), (v) => ['', 'yes', 'no'].includes(v), 'yes or no');
  check('ACMEDirectory', prop('letsencrypt', 'ACMEDirectory'), (v) => v === '' || /^https?:\/\/\S+$/.test(v), 'an http(s) URL');
  return '';
}
