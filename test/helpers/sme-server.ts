import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO, makeScratch, run } from './cli.ts';
import type { Scratch } from './cli.ts';

// A scratch SME server for the templates tests of issue #10 (templates-sme, odoo-longpolling).

export const HTTPD = '/etc/httpd/conf/httpd.conf';
export const CUSTOM_VH = 'etc/e-smith/templates-custom/etc/httpd/conf/httpd.conf/VirtualHosts';

export function put(scratch: Scratch, path: string, text: string): string {
  const full = join(scratch.path, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
}

export function ok(scratch: Scratch, bin: 'db' | 'config' | 'smeconf' | 'expand-template', args: string[]): string {
  const result = run(scratch, bin, args);
  assert.equal(result.status, 0, `${bin} ${args.join(' ')}\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** Stock records, a primary domain and more domains: one VirtualHost per domain and port. */
export function serverWith(domains: readonly string[]): Scratch {
  const scratch = makeScratch('sqlite', { SMECONF_SERVICE_MANAGER: 'none' });
  ok(scratch, 'smeconf', ['initialize-default-databases']);
  ok(scratch, 'config', ['set', 'DomainName', domains[0]!]);
  for (const domain of domains) ok(scratch, 'db', ['domains', 'set', domain, 'domain']);
  for (const dir of ['etc/httpd/conf', 'var/run/apache2', 'var/log/apache2']) mkdirSync(join(scratch.path, dir), { recursive: true });
  return scratch;
}

/** How many VirtualHosts httpd.conf has as things stand (each renders the sub-template once). */
export function virtualHosts(scratch: Scratch): number {
  return ok(scratch, 'expand-template', ['--stdout', HTTPD]).split('\n').filter((line) => line.startsWith('<VirtualHost ')).length;
}

/** The indented code block after the line of docs/FILE naming `marker` (docs and tests cannot drift). */
export function docBlock(file: string, marker: string): string {
  const lines = readFileSync(join(REPO, 'docs', file), 'utf8').split('\n');
  let i = lines.findIndex((line) => line.includes(marker));
  assert.ok(i !== -1, `${marker} in docs/${file}`);
  while (!lines[i]!.startsWith('    ')) i++;
  const block: string[] = [];
  for (; i < lines.length && (lines[i]!.startsWith('    ') || lines[i] === ''); i++) block.push(lines[i]!.slice(4));
  return block.join('\n').trimEnd() + '\n';
}
