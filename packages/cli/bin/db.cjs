#!/usr/bin/env node
'use strict';
const { join } = require('node:path');

require('../dist/bundle/db-bin.cjs').runDbBin(join(__dirname, '../../..'));
