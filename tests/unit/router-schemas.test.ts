import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { forbidden, rateLimited, unauthorized } from '../../plugins/commerce/src/core/errors.ts';
import { createRouter, defineRoute } from '../../plugins/commerce/src/http/router.ts';
import { parseOptions } from '../../plugins/commerce/src/options.ts';
import type { CommerceRuntime } from '../../plugins/commerce/src/runtime/commerce-runtime.ts';

// The router validates each route's declared body and query once, after the route's `before` step and before its
// handler; a refusal is Medusa's 400 body naming the field. No database is needed: nothing here is idempotent-keyed.

const parsed = parseOptions({
	regions: [
		{
			handle: 'us',
			name: 'United States',
			currency: 'usd',
			taxRate: 0,
			countries: ['us'],
			shippingOptions: [{ handle: 'std', name: 'Standard', amount: 0 }],
		},
	],
});
if (!parsed.ok) throw new Error(parsed.message);
const runtime = { options: parsed.options } as CommerceRuntime;

const seen: unknown[] = [];
const lineBody = z.object({
	variant_id: z.string().trim().min(1),
	quantity: z.number({ invalid_type_error: 'quantity must be a number' }).int().min(1).max(999),
});

const router = createRouter([
	defineRoute({
		method: 'POST',
		path: '/carts/:id/line-items',
		body: lineBody,
		handler: async (ctx) => {
			seen.push({ body: ctx.body, params: ctx.params });
			return { quantity: ctx.body.quantity * 2 };
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/products',
		query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(10), q: z.string().optional() }),
		handler: async (ctx) => ({ limit: ctx.query.limit, q: ctx.query.q ?? null }),
	}),
	defineRoute({
		method: 'GET',
		path: '/prices',
		// A schema built from the store's options: only configured regions pass.
		query: (options) =>
			z.object({
				region_id: z
					.string()
					.refine((id) => options.regions.some((r) => `reg_${r.handle}` === id), 'no region has this id'),
			}),
		handler: async (ctx) => ({ region: ctx.query.region_id }),
	}),
	defineRoute({
		method: 'POST',
		path: '/me',
		body: z.object({ name: z.string().min(2) }),
		before: async (ctx) => {
			const who = ctx.request.headers.get('x-who');
			if (!who) throw unauthorized('Log in first.');
			if (who === 'blocked') throw forbidden('Not you.');
			return { who };
		},
		handler: async (ctx) => ({ who: ctx.auth.who, name: ctx.body.name }),
	}),
	defineRoute({
		method: 'POST',
		path: '/ping',
		handler: async (ctx) => ({ body: ctx.body ?? null }),
	}),
	defineRoute({
		method: 'POST',
		path: '/range',
		body: z.object({ from: z.number(), to: z.number() }).superRefine((r, ctx) => {
			if (r.from > r.to)
				ctx.addIssue({
					code: 'custom',
					path: ['from'],
					message: 'must not be after to',
					params: { code: 'invalid_range' },
				});
		}),
		handler: async () => ({ ok: true }),
	}),
	defineRoute({
		method: 'POST',
		path: '/limited',
		body: z.object({ a: z.string() }),
		before: async () => {
			throw rateLimited('Slow down.', 7);
		},
		handler: async () => ({ ok: true }),
	}),
]);

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
	const init: RequestInit = { method, headers: { 'content-type': 'application/json', ...headers } };
	if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
	const url = new URL(path, 'http://shop.test/store');
	const response = await router.handle({
		request: new Request(url, init),
		path: url.pathname.replace(/^\/store/, '') || '/',
		runtime: async () => runtime,
	});
	const text = await response.text();
	return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : null };
}

describe('body schemas', () => {
	it('hands the handler the validated, transformed body (unknown keys stripped) and typed params', async () => {
		seen.length = 0;
		const res = await call('POST', '/store/carts/cart_1/line-items', {
			variant_id: '  variant_1 ',
			quantity: 3,
			unit_price: 1,
		});
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ quantity: 6 });
		expect(seen).toEqual([{ body: { variant_id: 'variant_1', quantity: 3 }, params: { id: 'cart_1' } }]);
	});

	it('refuses an invalid body with 400 invalid_data naming the field, before the handler runs', async () => {
		seen.length = 0;
		const wrongType = await call('POST', '/store/carts/cart_1/line-items', { variant_id: 'v', quantity: 'two' });
		expect(wrongType.status).toBe(400);
		expect(wrongType.json).toEqual({ type: 'invalid_data', message: 'quantity must be a number' });

		const tooMany = await call('POST', '/store/carts/cart_1/line-items', { variant_id: 'v', quantity: 1000 });
		expect(tooMany.status).toBe(400);
		expect(tooMany.json.message).toMatch(/^quantity: /);

		const missing = await call('POST', '/store/carts/cart_1/line-items', { quantity: 1 });
		expect(missing.status).toBe(400);
		expect(missing.json.message).toBe('variant_id is required');
		expect(seen).toEqual([]);
	});

	it('answers malformed JSON and non-object bodies with 400 invalid_json', async () => {
		const broken = await call('POST', '/store/carts/cart_1/line-items', '{"quantity": ');
		expect(broken.status).toBe(400);
		expect(broken.json).toMatchObject({ type: 'invalid_data', code: 'invalid_json' });
		const array = await call('POST', '/store/carts/cart_1/line-items', '[1]');
		expect(array.json).toMatchObject({ type: 'invalid_data', code: 'invalid_json' });
	});

	it('does not read a body the route declares none for', async () => {
		const res = await call('POST', '/store/ping', '{not json');
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ body: null });
	});

	it("passes a schema's own refusal code through to the error body", async () => {
		const res = await call('POST', '/store/range', { from: 5, to: 1 });
		expect(res.status).toBe(400);
		expect(res.json).toEqual({ type: 'invalid_data', message: 'from: must not be after to', code: 'invalid_range' });
	});
});

describe('query schemas', () => {
	it('coerces and defaults query values', async () => {
		expect((await call('GET', '/store/products?limit=25&q=mug')).json).toEqual({ limit: 25, q: 'mug' });
		expect((await call('GET', '/store/products')).json).toEqual({ limit: 10, q: null });
	});

	it('refuses an invalid query value naming it', async () => {
		const res = await call('GET', '/store/products?limit=1000');
		expect(res.status).toBe(400);
		expect(res.json.type).toBe('invalid_data');
		expect(res.json.message).toMatch(/^limit: /);
	});

	it('builds a schema from the store options when the route declares a function', async () => {
		expect((await call('GET', '/store/prices?region_id=reg_us')).json).toEqual({ region: 'reg_us' });
		const res = await call('GET', '/store/prices?region_id=reg_mars');
		expect(res.status).toBe(400);
		expect(res.json.message).toBe('region_id: no region has this id');
	});
});

describe('before step', () => {
	it('runs before validation: an anonymous caller with a bad body gets 401, not 400', async () => {
		const res = await call('POST', '/store/me', { name: 1 });
		expect(res.status).toBe(401);
		expect(res.json).toEqual({ type: 'unauthorized', message: 'Log in first.' });
	});

	it('maps forbidden to 403 not_allowed and rate_limited to 429 with Retry-After', async () => {
		const blocked = await call('POST', '/store/me', { name: 'Ann' }, { 'x-who': 'blocked' });
		expect(blocked.status).toBe(403);
		expect(blocked.json).toEqual({ type: 'not_allowed', message: 'Not you.', code: 'forbidden' });
		const limited = await call('POST', '/store/limited', { a: 1 });
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('7');
		expect(limited.json).toMatchObject({ type: 'too_many_requests', code: 'rate_limited' });
	});

	it("gives the handler the step's result as ctx.auth, then the validated body", async () => {
		const ok = await call('POST', '/store/me', { name: 'Ann' }, { 'x-who': 'cus_1' });
		expect(ok.json).toEqual({ who: 'cus_1', name: 'Ann' });
		const invalid = await call('POST', '/store/me', { name: 'A' }, { 'x-who': 'cus_1' });
		expect(invalid.status).toBe(400);
		expect(invalid.json.message).toMatch(/^name: /);
	});
});

describe('every route of the real tables', () => {
	it('declares its input with schemas only (no handler reads a raw body or query)', async () => {
		const { storeRouter } = await import('../../plugins/commerce/src/routes/store/routes.ts');
		const { adminRoutes } = await import('../../plugins/commerce/src/routes/admin/routes.ts');
		for (const route of [...storeRouter.routes, ...adminRoutes]) {
			const source = route.handler.toString();
			expect(source, `${route.method} ${route.path}`).not.toMatch(/parseInput|safeParse|\.parse\(|ctx\.request\.json/);
		}
		const posts = [...storeRouter.routes, ...adminRoutes].filter((r) => r.method === 'POST');
		// Bodies that carry data are declared; the rest (logout-like actions) read none.
		expect(posts.filter((r) => r.body).length).toBeGreaterThan(25);
	});
});
