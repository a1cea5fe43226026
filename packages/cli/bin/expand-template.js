#!/usr/bin/env node
import { notYet } from '../dist/not-yet.js';
import { processIo } from '../dist/io.js';

process.exitCode = notYet('expand-template', 3, processIo);
