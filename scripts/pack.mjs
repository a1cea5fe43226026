// `npm run pack:tarball [OUTDIR]`: build/smeconf-<version>.tgz, the whole product in
// one npm tarball (scripts/stage-product.mjs), installed on a server with
// `npm install -g ./smeconf-<version>.tgz` (docs/install.md). It carries the
// better-sqlite3 addon compiled here: install it on the same OS, CPU and
// Node major version. Run `npm run build` first.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { checkout, stageProduct, version } from './stage-product.mjs';

const out = resolve(process.argv[2] ?? join(checkout, 'build'));
stageProduct(join(out, 'product'), { linksAsList: true });
execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: join(out, 'product'), stdio: ['ignore', 'ignore', 'inherit'] });
console.log(join(out, `smeconf-${version}.tgz`));
