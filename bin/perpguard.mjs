#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so a checkout works right after `npm ci` without a build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
