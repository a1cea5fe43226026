#!/usr/bin/env node
'use strict';
const { join } = require('node:path');

require('../dist/bundle/expand-bin.cjs').runExpandBin(join(__dirname, '../../..'));
