#!/usr/bin/env node
// Entry point for `npx roost` and `npm start`; the code lives in dist/ (built by `npm ci` via prepare).
import { main } from '../dist/cli/main.js';

main(process.argv).catch((err) => {
  process.stderr.write(`roost: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
