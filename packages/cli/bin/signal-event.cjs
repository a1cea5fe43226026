#!/usr/bin/env node
'use strict';

const bin = require('./hot-bundle.cjs').loadHotBundle('event-bin');
bin.runEventBin(bin.findStockDir(__dirname));
