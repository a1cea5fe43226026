#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { expandMain } from '../dist/expand/main.js';
import { processIo } from '../dist/io.js';

const stockDir = fileURLToPath(new URL('../../../', import.meta.url));
process.exitCode = await expandMain(process.argv.slice(2), processIo, {
  env: process.env,
  stockDir,
  color: process.stdout.isTTY === true,
});
