// The directories the stock configuration needs, created where missing, as
// SME's packages ship them (link it into an event after S00
// initialize-default-databases and before S05, e.g. S03create-directories):
// the directory of every file the event expands, the ibay's ACME challenge
// directory, and Apache's run and log directories named by httpd-e-smith.
// Existing directories are left as they are; none leads out of the root.
import { dirname } from 'node:path';

const CHALLENGES = '/home/e-smith/files/ibays/Primary/html/.well-known/acme-challenge';

export default async function createDirectories(context) {
  for (const template of context.templates) context.ensureDirectory(dirname(template));
  context.ensureDirectory(CHALLENGES);
  const httpd = (await context.db('configuration').get('httpd-e-smith'))?.props ?? new Map();
  const prop = (name, fallback) => httpd.get(name) || fallback;
  context.ensureDirectory(prop('RuntimeDir', '/var/run/apache2'));
  context.ensureDirectory(dirname(prop('PidFile', '/var/run/apache2/httpd.pid')));
  context.ensureDirectory(dirname(prop('ErrorLog', '/var/log/apache2/error.log')), 0o750);
  context.ensureDirectory(dirname(prop('CustomLog', '/var/log/apache2/access.log')), 0o750);
}
