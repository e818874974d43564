import { Agent, createServer, get, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFast } from '../../plugins/commerce/src/server/fast-path.ts';

// The fast path builds each Request with Astro's `NodeApp.createRequest`, which ties the request's abort signal to
// its socket with a `close` listener that only Astro's own response writer removed. Each request on a keep-alive
// connection then left a listener (holding the request) on the socket until the client hung up.

let server: Server;
let base: string;
const sockets: Socket[] = [];

beforeAll(async () => {
	server = createServer((req, res) => {
		void serveFast(
			req,
			res,
			{ name: 'store', endpoint: { GET: async () => Response.json({ ok: true }) }, path: 'ping' },
			{ allowedDomains: [], routePatterns: { store: '/store/[...path]', stripeWebhook: '', analytics: '' } },
		);
	});
	server.on('connection', (socket) => sockets.push(socket));
	await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
	const address = server.address();
	base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((closed) => server.close(closed));
});

describe('the fast path on a keep-alive connection', () => {
	it('leaves no listener per request on the socket', async () => {
		const agent = new Agent({ keepAlive: true, maxSockets: 1 });
		for (let i = 0; i < 40; i++) {
			const body = await new Promise<string>((done, fail) =>
				get(`${base}/store/ping`, { agent }, (res) => {
					let text = '';
					res.on('data', (chunk) => (text += chunk));
					res.on('end', () => done(text));
				}).on('error', fail),
			);
			expect(JSON.parse(body)).toEqual({ ok: true });
		}
		expect(sockets).toHaveLength(1);
		expect(sockets[0]!.listenerCount('close')).toBeLessThan(5);
		agent.destroy();
	});
});
