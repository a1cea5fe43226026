#!/usr/bin/env -S node --no-memory-reducer
// --no-memory-reducer: V8's memory reducer keeps collecting garbage long after
// activity (about 0.2 s of CPU a minute, measured); `smeconf watch` must sleep when idle.
import { fileURLToPath } from 'node:url';
import { smeconfMain } from '../dist/smeconf/main.js';
import { processIo } from '../dist/io.js';
import { findStockDir } from '../dist/stock-dir.js';

const stockDir = findStockDir(fileURLToPath(new URL('.', import.meta.url)));
process.exitCode = await smeconfMain(process.argv.slice(2), processIo, { env: process.env, stockDir });
