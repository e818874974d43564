import { request } from 'node:http';

export interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
}

/**
 * One HTTP request with node:http, for what `fetch` refuses to send: TRACE/TRACK, bodies that are not valid UTF-8,
 * exact bytes and headers. Resolves with status 0 when the server closed the connection without an answer.
 */
export function rawRequest(
	base: string,
	method: string,
	path: string,
	headers: Record<string, string> = {},
	body?: string | Buffer,
): Promise<RawResponse> {
	const url = new URL(path, base);
	// Node sends a DELETE/OPTIONS body without a length unless told; the server would read it as the next request.
	if (body !== undefined) headers = { ...headers, 'content-length': String(Buffer.byteLength(body)) };
	return new Promise((resolve, reject) => {
		const req = request(
			{ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, agent: false },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
				);
				res.on('error', reject);
			},
		);
		req.on('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'ECONNRESET' || error.code === 'EPIPE') resolve({ status: 0, headers: {}, text: '' });
			else reject(error);
		});
		if (body !== undefined) req.end(body);
		else req.end();
	});
}
