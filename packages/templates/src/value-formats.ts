import type { FormatName } from './format-checks.ts';

/**
 * The declared format of every stock value that reaches a generated file
 * (docs/records.md). `key: '*'` is any key of the database; `prop: null`
 * is the record's type (what `{{DomainName}}` prints). A value that fails
 * its format reaches fragments as an UnsafeValue: printing or quoting it
 * fails the target; only `raw` prints it. Props that are only compared
 * (status, configure, HttpsRedirect, letsencryptSSLcert, HostType) need no
 * format; values without one still get the control-character guard.
 */
export interface ValueFormat {
  readonly db: string;
  readonly key: string;
  readonly prop: string | null;
  readonly format: FormatName;
}

const httpd = (prop: string, format: FormatName): ValueFormat => ({ db: 'configuration', key: 'httpd-e-smith', prop, format });
const letsencrypt = (prop: string, format: FormatName): ValueFormat => ({ db: 'configuration', key: 'letsencrypt', prop, format });
const modSSL = (prop: string, format: FormatName): ValueFormat => ({ db: 'configuration', key: 'modSSL', prop, format });

export const VALUE_FORMATS: readonly ValueFormat[] = [
  { db: 'configuration', key: 'DomainName', prop: null, format: 'hostname' },
  { db: 'configuration', key: 'SystemName', prop: null, format: 'hostname' },
  httpd('TCPPort', 'port'),
  httpd('ListenAddress', 'address'),
  ...['ServerRoot', 'ModuleDir', 'MimeTypes', 'PidFile', 'RuntimeDir', 'ErrorLog', 'CustomLog'].map((prop) => httpd(prop, 'path')),
  httpd('LogLevel', 'loglevel'),
  httpd('User', 'account'),
  httpd('Group', 'account'),
  modSSL('TCPPort', 'port'),
  ...['crt', 'key', 'CertificateChainFile', 'SelfSignedCrt', 'SelfSignedKey'].map((prop) => modSSL(prop, 'path')),
  letsencrypt('email', 'email'),
  letsencrypt('keysize', 'digits'),
  letsencrypt('ACMEDirectory', 'url'),
  letsencrypt('licence', 'url'),
  letsencrypt('CABundle', 'path'),
  { db: 'domains', key: '*', prop: 'ProxyPassTarget', format: 'url' },
  { db: 'configuration', key: 'statuspage', prop: 'TCPPort', format: 'port' },
  { db: 'configuration', key: 'statuspage', prop: 'ListenAddress', format: 'address' },
  { db: 'configuration', key: 'statuspage', prop: 'ApacheLocation', format: 'path' },
];

/** The keys of these databases are names printed into files (ServerName, ServerAlias, domains.txt). */
export const KEY_FORMATS: ReadonlyMap<string, FormatName> = new Map([
  ['domains', 'hostname'],
  ['hosts', 'hostname'],
]);

const byValue = new Map(VALUE_FORMATS.map((f) => [`${f.db}\0${f.key}\0${f.prop ?? ''}\0${f.prop === null}`, f.format]));

/** The declared format of a type (prop null) or prop, if any. */
export function formatOf(db: string, key: string, prop: string | null): FormatName | undefined {
  const id = (k: string) => `${db}\0${k}\0${prop ?? ''}\0${prop === null}`;
  return byValue.get(id(key)) ?? byValue.get(id('*'));
}

/** The declared format of every key of a database, if any. */
export function keyFormatOf(db: string): FormatName | undefined {
  return KEY_FORMATS.get(db);
}
