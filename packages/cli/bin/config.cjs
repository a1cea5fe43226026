#!/usr/bin/env node
'use strict';
// `config ARGS` is exactly `db configuration ARGS`, as in SME.
const { join } = require('node:path');

require('../dist/bundle/db-bin.cjs').runDbBin(join(__dirname, '../../..'), 'configuration');
