import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { binPath, makeScratch, run } from './helpers/cli.ts';
import type { Scratch } from './helpers/cli.ts';

// db writes its output straight to fd 1 (packages/cli/src/io.ts): the bytes
// a pipe receives, a reader that goes away early, a non-blocking pipe.

const PROPS = 400; // × ~1 KiB: several times a pipe's buffer
const value = (i: number) => `${'ünï ✓ '.repeat(120)}${i}`;

describe('db output on a pipe', () => {
  let scratch: Scratch;
  let expected: Buffer;
  before(() => {
    scratch = makeScratch('sqlite');
    const pairs: string[] = [];
    let show = 'big=blob\n';
    for (let i = 0; i < PROPS; i++) {
      const name = `p${String(i).padStart(4, '0')}`;
      pairs.push(name, value(i));
      show += `    ${name}=${value(i)}\n`;
    }
    assert.equal(run(scratch, 'db', ['configuration', 'set', 'big', 'blob', ...pairs]).status, 0);
    expected = Buffer.from(show);
  });
  after(() => scratch.remove());

  it('writes the same bytes as the record holds', () => {
    const result = spawnSync(process.execPath, [binPath('db'), 'configuration', 'show', 'big'], { env: scratch.env });
    assert.equal(result.status, 0);
    assert.equal(result.stderr.toString(), '');
    assert.ok(result.stdout.equals(expected), 'stdout differs from the record');
  });

  it('stops quietly when the reader closes early (db … | head -1): no stack, exit status kept', async () => {
    const child = spawn(process.execPath, [binPath('db'), 'configuration', 'show', 'big'], { env: scratch.env });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(stderr, '');
    assert.equal(status, 0);
  });

  it('waits for a non-blocking pipe that is full (EAGAIN) and writes everything', async () => {
    const fifo = join(scratch.path, 'out.fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    // the shell makes the non-blocking descriptor db's stdout (Node's spawn would make fds 0-2 blocking)
    const child = spawn('/bin/sh', ['-c', 'exec "$0" "$@" >&3 3>&-', process.execPath, binPath('db'), 'configuration', 'show', 'big'], {
      env: scratch.env,
      stdio: ['ignore', 'ignore', 'pipe', writer],
    });
    closeSync(writer);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise((resolve) => child.on('close', resolve));
    await sleep(300); // db fills the pipe meanwhile
    const chunks: Buffer[] = [];
    for (;;) {
      const buffer = Buffer.alloc(65536);
      let got: number;
      try {
        got = readSync(reader, buffer);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        await sleep(5);
        continue;
      }
      if (got === 0) break;
      chunks.push(buffer.subarray(0, got));
    }
    closeSync(reader);
    assert.equal(await exited, 0);
    assert.equal(stderr, '');
    assert.ok(Buffer.concat(chunks).equals(expected), 'stdout differs from the record');
  });
});
