#!/usr/bin/env node
'use strict';

const bin = require('./hot-bundle.cjs').loadHotBundle('db-bin');
bin.runDbBin(bin.findStockDir(__dirname));
