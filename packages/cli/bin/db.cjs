#!/usr/bin/env node
'use strict';

const bin = require('../dist/bundle/db-bin.cjs');
bin.runDbBin(bin.findStockDir(__dirname));
