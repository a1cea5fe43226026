#!/usr/bin/env node
import { notYet } from '../dist/not-yet.js';
import { processIo } from '../dist/io.js';

process.exitCode = notYet('signal-event', 4, processIo);
