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
});
