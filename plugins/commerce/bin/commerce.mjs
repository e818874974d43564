#!/usr/bin/env node
// The CLI runs the compiled package (dist/, built by `npm run build` and before every `npm pack`) on plain Node.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
	console.error(
		'@frostbuy/commerce is not built: run `npm run build` in its folder (the published package ships dist/).',
	);
	process.exit(1);
}
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
