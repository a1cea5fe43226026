import assert from 'node:assert/strict';
import { runCommand } from '../src/run-command.ts';

describe('runCommand', () => {
  it('reports the exit status of a command that exits', async () => {
    assert.deepEqual(await runCommand(['sh', '-c', 'echo out; echo err >&2; exit 3'], process.env), { status: 3, output: 'out\nerr\n' });
  });

  for (const [signal, status] of [['KILL', 137], ['TERM', 143], ['INT', 130], ['HUP', 129]] as const) {
    it(`reports a command killed by SIG${signal} as ${status} (128 + the signal's number, as a shell does)`, async () => {
      const result = await runCommand(['sh', '-c', `kill -${signal} $$`], process.env);
      assert.equal(result.status, status);
    });
  }

  it('reports a program that cannot be run as 127, with why', async () => {
    const result = await runCommand(['/nonexistent/program'], process.env);
    assert.equal(result.status, 127);
    assert.match(result.output, /^\/nonexistent\/program: spawn \/nonexistent\/program ENOENT\n$/);
  });
});
