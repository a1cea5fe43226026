#!/usr/bin/env node
'use strict';

const bin = require('../dist/bundle/event-bin.cjs');
bin.runEventBin(bin.findStockDir(__dirname));
