#!/usr/bin/env node
// The plugin ships TypeScript sources; tsx lets the CLI run them on Node 20 without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
