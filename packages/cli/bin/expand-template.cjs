#!/usr/bin/env node
'use strict';

const bin = require('../dist/bundle/expand-bin.cjs');
bin.runExpandBin(bin.findStockDir(__dirname));
