#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { eventMain } from '../dist/event/main.js';
import { processIo } from '../dist/io.js';

const stockDir = fileURLToPath(new URL('../../../', import.meta.url));
process.exitCode = await eventMain(process.argv.slice(2), processIo, { env: process.env, stockDir });
