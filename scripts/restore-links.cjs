#!/usr/bin/env node
'use strict';
// The smeconf package's postinstall: npm carries no symbolic link, so the
// events trees' links (S00x -> ../actions/x.mjs, httpd-e-smith -> restart)
// travel in links.json and are made again here (scripts/stage-product.mjs).
const { mkdirSync, readFileSync, rmSync, symlinkSync } = require('node:fs');
const { dirname, join } = require('node:path');

for (const [path, target] of JSON.parse(readFileSync(join(__dirname, 'links.json'), 'utf8'))) {
  mkdirSync(dirname(join(__dirname, path)), { recursive: true });
  rmSync(join(__dirname, path), { force: true });
  symlinkSync(target, join(__dirname, path));
}
