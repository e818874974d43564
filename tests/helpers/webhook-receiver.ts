import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

/** One request a webhook receiver got. */
export interface ReceivedWebhook {
	headers: IncomingHttpHeaders;
	body: string;
}

/** A webhook receiver on loopback: records every POST and answers `status()` (200 unless changed). */
export interface WebhookReceiver {
	url: string;
	received: ReceivedWebhook[];
	/** What the receiver answers from now on. */
	respondWith(status: number): void;
	close(): Promise<void>;
}

export async function startWebhookReceiver(path = '/hooks'): Promise<WebhookReceiver> {
	let status = 200;
	const received: ReceivedWebhook[] = [];
	const server: Server = createServer((req, res) => {
		let body = '';
		req.setEncoding('utf8');
		req.on('data', (chunk: string) => (body += chunk));
		req.on('end', () => {
			received.push({ headers: req.headers, body });
			res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'receiver says no');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	return {
		url: `http://127.0.0.1:${port}${path}`,
		received,
		respondWith: (next) => {
			status = next;
		},
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
