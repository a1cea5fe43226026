// `npm run package:deb [OUTDIR]`: build/smeconf_<version>_<arch>.deb, built with
// dpkg-deb from this checkout (run `npm run build` first; no network):
//   /usr/lib/smeconf/            the product (scripts/stage-product.mjs), links kept
//   /usr/bin/{db,config,expand-template,signal-event,smeconf}  links into it
//   /lib/systemd/system/smeconf-watch.service, smeconf-serve.service, smeconf-renew.service, smeconf-renew.timer,
//     smeconf-agent.service
//   /etc/e-smith/templates-custom/   empty, for local fragments
// It ships the better-sqlite3 addon compiled here, so it is named for this
// machine's architecture, not _all (docs/decisions.md "Installs anywhere").
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkout, stageProduct, version } from './stage-product.mjs';

const out = resolve(process.argv[2] ?? join(checkout, 'build'));
const tree = join(out, 'deb');
rmSync(tree, { recursive: true, force: true });
const lib = join(tree, 'usr/lib/smeconf');
const manifest = stageProduct(lib);

mkdirSync(join(tree, 'usr/bin'), { recursive: true });
for (const [bin, file] of Object.entries(manifest.bin)) symlinkSync(join('../lib/smeconf', file), join(tree, 'usr/bin', bin));

const units = join(tree, 'lib/systemd/system');
mkdirSync(units, { recursive: true });
for (const unit of readdirSync(join(checkout, 'packaging/systemd'))) cpSync(join(checkout, 'packaging/systemd', unit), join(units, unit));
mkdirSync(join(tree, 'etc/e-smith/templates-custom'), { recursive: true });

const arch = execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim();
const control = join(tree, 'DEBIAN');
mkdirSync(control);
const fields = { '@VERSION@': version, '@ARCH@': arch, '@SIZE@': String(Math.ceil(sizeOf(tree) / 1024)) };
const template = readFileSync(join(checkout, 'packaging/debian/control'), 'utf8');
writeFileSync(join(control, 'control'), template.replace(/@[A-Z]+@/g, (field) => fields[field]));
for (const script of ['postinst', 'prerm', 'postrm']) {
  cpSync(join(checkout, 'packaging/debian', script), join(control, script));
  chmodSync(join(control, script), 0o755);
}

const deb = join(out, `smeconf_${version}_${arch}.deb`);
execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', tree, deb], { stdio: ['ignore', 'ignore', 'inherit'] });
console.log(deb);

function sizeOf(dir) {
  let bytes = 0;
  for (const path of readdirSync(dir, { recursive: true })) {
    const stat = statSync(join(dir, path), { throwIfNoEntry: false });
    if (stat?.isFile()) bytes += stat.size;
  }
  return bytes;
}
