import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { store } from '../helpers/checkout.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

// Per-address rate limits must not be dodged by sending X-Forwarded-For: without TRUST_PROXY=1 the server uses the
// socket address. (The other API tests run with TRUST_PROXY=1 so that the header can stand for different clients.)

let server: TestServer;
beforeAll(async () => {
	server = await startServer({ env: { TRUST_PROXY: '0' } });
});
afterAll(() => server?.stop());

describe('client address', () => {
	it('ignores a client-sent X-Forwarded-For unless the proxy is trusted', async () => {
		const statuses: number[] = [];
		for (let i = 0; i < 11; i++) {
			const lookup = await store(
				server,
				'GET',
				`/orders?display_id=1001&email=a@example.com&shipping_address[postal_code]=21532`,
				undefined,
				{ 'x-forwarded-for': `198.51.100.${i}` },
			);
			statuses.push(lookup.status);
		}
		// Ten lookups per address per 10 minutes: the 11th is refused although every request claimed another address.
		expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
		expect(statuses[10]).toBe(429);
	});

	it('does not turn on HSTS or Secure cookies for a client-sent X-Forwarded-Proto: https without TRUST_PROXY', async () => {
		const page = await fetch(`${server.url}/`, { headers: { 'x-forwarded-proto': 'https' } });
		expect(page.headers.get('strict-transport-security')).toBeNull();
		const api = await store(server, 'GET', '/products', undefined, { 'x-forwarded-proto': 'https' });
		expect(api.headers.get('strict-transport-security')).toBeNull();
		const registered = await store(
			server,
			'POST',
			'/customers',
			{ email: 'xfp@example.com', password: 'long enough password', first_name: 'X', last_name: 'P' },
			{ 'x-forwarded-proto': 'https' },
		);
		expect(registered.status).toBe(200);
		const cookie = registered.headers.getSetCookie().find((c) => c.startsWith('commerce_session='));
		expect(cookie).toBeDefined();
		expect(cookie).not.toMatch(/;\s*Secure/i);
	});
});
