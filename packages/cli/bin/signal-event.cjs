#!/usr/bin/env node
'use strict';
const { join } = require('node:path');

require('../dist/bundle/event-bin.cjs').runEventBin(join(__dirname, '../../..'));
