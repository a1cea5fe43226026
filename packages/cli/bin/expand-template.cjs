#!/usr/bin/env node
'use strict';

const bin = require('./hot-bundle.cjs').loadHotBundle('expand-bin');
bin.runExpandBin(bin.findStockDir(__dirname));
