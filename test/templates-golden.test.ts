import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { REPO, makeScratch, run } from './helpers/cli.ts';

const CASES = join(REPO, 'test/fixtures/templates');

/**
 * A golden case is a directory: root/ (copied into the scratch root:
 * templates, templates-custom, templates.metadata), db/<name> (SME flat
 * files imported first), before/ (files present before expansion), paths
 * (one template path a line, expanded in one call), expected/ (files that
 * must then exist, byte for byte), and optionally modes ("path octal" lines),
 * absent (paths that must not exist) and stderr (exact).
 */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => statSync(join(dir, name)).isFile())
    .sort();
}

const optional = (path: string): string | undefined => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);
const lines = (text: string | undefined): string[] => (text ?? '').split('\n').filter(Boolean);

describe('expand-template golden cases', function () {
  this.timeout(30_000);
  for (const name of readdirSync(CASES).sort()) {
    it(name, () => {
      const dir = join(CASES, name);
      const scratch = makeScratch('sqlite');
      try {
        cpSync(join(dir, 'root'), scratch.path, { recursive: true });
        if (existsSync(join(dir, 'before'))) cpSync(join(dir, 'before'), scratch.path, { recursive: true });
        for (const db of filesUnder(join(dir, 'db'))) {
          assert.equal(run(scratch, 'smeconf', ['import', db, join(dir, 'db', db)]).status, 0);
        }
        const expected = filesUnder(join(dir, 'expected'));
        for (const file of expected) mkdirSync(dirname(join(scratch.path, file)), { recursive: true });

        const result = run(scratch, 'expand-template', lines(readFileSync(join(dir, 'paths'), 'utf8')));
        const wantedStderr = optional(join(dir, 'stderr'))?.replaceAll('$ROOT', scratch.path);
        assert.equal(result.stderr, wantedStderr ?? '', 'stderr');
        assert.equal(result.status, 0);
        for (const file of expected) {
          assert.equal(readFileSync(join(scratch.path, file), 'utf8'), readFileSync(join(dir, 'expected', file), 'utf8'), file);
        }
        for (const line of lines(optional(join(dir, 'modes')))) {
          const [path, mode] = line.split(' ');
          assert.equal((statSync(join(scratch.path, path!)).mode & 0o7777).toString(8), mode, `mode of ${path}`);
        }
        for (const path of lines(optional(join(dir, 'absent')))) assert.equal(existsSync(join(scratch.path, path)), false, `${path} absent`);
        const strays = filesUnder(scratch.path).filter((f) => f.includes('.smeconf-'));
        assert.deepEqual(strays.map((f) => relative(scratch.path, f)), [], 'no temp file left');
      } finally {
        scratch.remove();
      }
    });
  }
});
