#!/usr/bin/env node
'use strict';
// `config ARGS` is exactly `db configuration ARGS`, as in SME.

const bin = require('../dist/bundle/db-bin.cjs');
bin.runDbBin(bin.findStockDir(__dirname), 'configuration');
