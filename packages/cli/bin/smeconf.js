#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { smeconfMain } from '../dist/smeconf/main.js';
import { processIo } from '../dist/io.js';

const stockDir = fileURLToPath(new URL('../../../', import.meta.url));
process.exitCode = await smeconfMain(process.argv.slice(2), processIo, { env: process.env, stockDir });
