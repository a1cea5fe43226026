#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { dbMain } from '../dist/db/main.js';
import { processIo } from '../dist/io.js';

const stockDir = fileURLToPath(new URL('../../../', import.meta.url));
process.exitCode = await dbMain(process.argv.slice(2), processIo, { env: process.env, stockDir });
