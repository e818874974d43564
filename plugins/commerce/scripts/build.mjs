// Builds the publishable package into dist/: tsc compiles TypeScript and Preact JSX to ES modules with .d.ts beside
// them (same file layout as src/); .astro components and CSS are copied as source (Astro compiles them in the site),
// their relative imports rewritten from .ts/.tsx to the compiled .js.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
const tsc = join(dirname(fileURLToPath(import.meta.resolve('typescript/package.json'))), 'bin', 'tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

function* files(dir) {
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) yield* files(path);
		else yield path;
	}
}

const relativeTsImport = /(from\s+|import\s+)(['"])(\.{1,2}\/[^'"]+)\.tsx?\2/g;
for (const file of files(src)) {
	const target = join(dist, relative(src, file));
	if (!/\.(astro|css)$|\.d\.ts$/.test(file)) continue;
	mkdirSync(dirname(target), { recursive: true });
	if (file.endsWith('.astro')) {
		writeFileSync(target, readFileSync(file, 'utf8').replace(relativeTsImport, '$1$2$3.js$2'));
	} else if (file.endsWith('.css') || file.endsWith('.d.ts')) {
		cpSync(file, target);
	}
}

// Sites that use React and Preact together: Astro asks each renderer whether it owns a component unless the component
// is tagged. Tag every island for Preact so no site needs include/exclude patterns (what Astro's own JSX compiler does).
const components = join(dist, 'components');
for (const name of readdirSync(components)) {
	if (!name.endsWith('.js')) continue;
	const path = join(components, name);
	const code = readFileSync(path, 'utf8');
	const match = code.match(/^export default (?:function|class) (\w+)/m);
	if (!match) continue;
	writeFileSync(
		path,
		`${code}\nObject.defineProperty(${match[1]}, Symbol.for('astro:renderer'), { value: '@astrojs/preact' });\n`,
	);
}
console.log(`@frostbuy/commerce built into ${relative(process.cwd(), dist) || 'dist'}`);
