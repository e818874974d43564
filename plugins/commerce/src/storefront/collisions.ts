import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** A route the integration injects, with the option that moves or removes it (named in collision errors). */
export interface InjectedRoute {
	pattern: string;
	entrypoint: string;
	prerender: boolean;
	option: string;
}

export interface RouteCollision {
	/** The site's page file, relative to `src/pages`. */
	file: string;
	route: InjectedRoute;
}

const PAGE_EXTENSIONS = /\.(astro|md|mdx|html|ts|js|mjs)$/;

/** `/products/[handle]` and `/products/[slug]/` are the same route: compare with parameter names erased. */
export function routeKey(pattern: string): string {
	const path = pattern
		.replace(/\[\.\.\.[^\]]+\]/g, '[...]')
		.replace(/\[[^\].]+\]/g, '[]')
		.replace(/\/+$/, '');
	return path || '/';
}

/** `products/[slug].astro` → `/products/[slug]`; `cart/index.astro` → `/cart`; endpoints included. */
export function fileRoute(file: string): string {
	const path = `/${file.split(sep).join('/')}`
		.replace(PAGE_EXTENSIONS, '')
		.replace(/\.(json|xml|txt)$/, '.$1')
		.replace(/\/index$/, '');
	return path || '/';
}

function* pageFiles(dir: string): Generator<string> {
	for (const name of readdirSync(dir)) {
		// Astro ignores files and folders starting with _ (partials, components kept beside pages).
		if (name.startsWith('_')) continue;
		const path = join(dir, name);
		if (statSync(path).isDirectory()) yield* pageFiles(path);
		else if (PAGE_EXTENSIONS.test(name)) yield path;
	}
}

/** The site's pages that sit at a path the plugin injects. */
export function findRouteCollisions(pagesDir: string, routes: InjectedRoute[]): RouteCollision[] {
	if (!existsSync(pagesDir)) return [];
	const injected = new Map(routes.map((route) => [routeKey(route.pattern), route]));
	const collisions: RouteCollision[] = [];
	for (const path of pageFiles(pagesDir)) {
		const file = relative(pagesDir, path);
		const route = injected.get(routeKey(fileRoute(file)));
		if (route) collisions.push({ file: `src/pages/${file.split(sep).join('/')}`, route });
	}
	return collisions;
}
