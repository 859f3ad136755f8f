#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const bundle = path.join(__dirname, '..', 'dist', 'engagement-db.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write(
    'engagement-db: the command is not built yet; run `npx nx run cli:build` (npm ci does it).\n',
  );
  process.exit(2);
}
require(bundle).engagementDbProgram().parseAsync(process.argv).catch(require(bundle).exitWithCliError);
