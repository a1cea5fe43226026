#!/usr/bin/env node
'use strict';
// `config ARGS` is exactly `db configuration ARGS`, as in SME.

const bin = require('./hot-bundle.cjs').loadHotBundle('db-bin');
bin.runDbBin(bin.findStockDir(__dirname), 'configuration');
