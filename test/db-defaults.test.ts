import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS, makeScratch, run } from './helpers/cli.ts';

for (const backend of BACKENDS) {
  describe(`smeconf initialize-default-databases (${backend})`, function () {
    this.timeout(30_000);
    it('applies the stock db/ tree under $SMECONF_ROOT/etc/e-smith/db, which wins', () => {
      const scratch = makeScratch(backend);
      try {
        const custom = join(scratch.path, 'etc/e-smith/db/configuration/defaults/letsencrypt');
        mkdirSync(custom, { recursive: true });
        writeFileSync(join(custom, 'configure'), 'all\n');
        const first = run(scratch, 'smeconf', ['initialize-default-databases']);
        assert.deepEqual([first.status, first.stderr], [
          0,
          'Creating database configuration and setting defaults\n' +
            'Creating primary domain example.com (DomainName)\n' +
            'Creating standard hosts ftp.example.com mail.example.com proxy.example.com server.example.com wpad.example.com www.example.com\n',
        ]);
        // the record SME's contrib ends up with ([le01]), but for our override
        assert.equal(run(scratch, 'config', ['print', 'letsencrypt']).stdout, 'letsencrypt=service|SkipFailingNames|enabled|configure|all|hookScript|disabled|status|disabled\n');

        run(scratch, 'config', ['setprop', 'letsencrypt', 'status', 'enabled']);
        const again = run(scratch, 'smeconf', ['initialize-default-databases']);
        assert.deepEqual([again.status, again.stderr], [0, 'Migrating existing database configuration\n']);
        assert.equal(run(scratch, 'config', ['getprop', 'letsencrypt', 'status']).stdout, 'enabled\n');
      } finally {
        scratch.remove();
      }
    });
  });
}
