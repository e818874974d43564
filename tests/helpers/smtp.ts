import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message as the test SMTP server received it. */
export interface ReceivedMessage {
	/** Envelope sender (MAIL FROM). */
	from: string;
	/** Envelope recipients (RCPT TO). */
	to: string[];
	/** The message exactly as transmitted, CRLF line endings. */
	raw: string;
	/** The decoded `Subject` header. */
	subject: string;
	/** The decoded text/plain part (or the first text part when there is none), for searching. */
	text: string;
	/** The decoded text/html part, empty when there is none. */
	html: string;
	/** Top-level headers, lower-case names, unfolded and decoded. */
	headers: Record<string, string>;
}

/** A running SMTP server on 127.0.0.1 that accepts and records every message. */
export interface TestSmtpServer {
	port: number;
	/** `smtp://127.0.0.1:<port>`, ready for `SMTP_URL` or `createMailer({ smtpUrl })`. */
	url: string;
	messages: ReceivedMessage[];
	/** Resolves once at least `count` messages have arrived; rejects after `timeoutMs` (default 5000). */
	waitFor(count: number, timeoutMs?: number): Promise<void>;
	close(): Promise<void>;
}

/**
 * Starts a real SMTP server on a random port without authentication or STARTTLS (so clients do not try to upgrade
 * the connection) and collects what it receives.
 */
export async function startSmtpServer(): Promise<TestSmtpServer> {
	const messages: ReceivedMessage[] = [];
	const waiters = new Set<() => void>();
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('error', callback);
			stream.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				const parsed = parseRawMessage(raw);
				messages.push({
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					to: session.envelope.rcptTo.map((address) => address.address),
					raw,
					...parsed,
				});
				for (const waiter of waiters) waiter();
				callback();
			});
		},
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.server.address() as AddressInfo;

	return {
		port,
		url: `smtp://127.0.0.1:${port}`,
		messages,
		waitFor(count, timeoutMs = 5000) {
			return new Promise((resolve, reject) => {
				const check = (): void => {
					if (messages.length < count) return;
					clearTimeout(timer);
					waiters.delete(check);
					resolve();
				};
				const timer = setTimeout(() => {
					waiters.delete(check);
					reject(new Error(`expected ${count} email(s) within ${timeoutMs} ms, received ${messages.length}`));
				}, timeoutMs);
				waiters.add(check);
				check();
			});
		},
		close() {
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

/**
 * Minimal RFC 822/MIME reader for tests: top-level headers (RFC 2047 encoded words decoded) and the text of the
 * first text/plain part, with quoted-printable or base64 undone. Good for nodemailer output, not for arbitrary mail.
 */
export function parseRawMessage(raw: string): {
	headers: Record<string, string>;
	subject: string;
	text: string;
	html: string;
} {
	const entity = parseEntity(raw);
	return {
		headers: entity.headers,
		subject: entity.headers.subject ?? '',
		text: findText(entity) ?? '',
		html: findText(entity, 'text/html') ?? '',
	};
}

interface Entity {
	headers: Record<string, string>;
	body: string;
}

function parseEntity(raw: string): Entity {
	const normalized = raw.replace(/\r\n/g, '\n');
	const split = normalized.indexOf('\n\n');
	const head = split === -1 ? normalized : normalized.slice(0, split);
	const body = split === -1 ? '' : normalized.slice(split + 2);
	const headers: Record<string, string> = {};
	for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
		const colon = line.indexOf(':');
		if (colon > 0)
			headers[line.slice(0, colon).trim().toLowerCase()] = decodeEncodedWords(line.slice(colon + 1).trim());
	}
	return { headers, body };
}

function findText(entity: Entity, wanted: 'text/plain' | 'text/html' | 'text/' = 'text/plain'): string | undefined {
	const contentType = (entity.headers['content-type'] ?? 'text/plain').toLowerCase();
	if (contentType.startsWith('multipart/')) {
		const boundary = /boundary="?([^";]+)"?/i.exec(entity.headers['content-type'] ?? '')?.[1];
		if (!boundary) return undefined;
		const parts = entity.body
			.split(`--${boundary}`)
			.slice(1)
			.filter((part) => !part.startsWith('--'))
			// The line break before a boundary belongs to the boundary, not to the part.
			.map((part) => parseEntity(part.replace(/^\n/, '').replace(/\n$/, '')));
		for (const part of parts) {
			const found = findText(part, wanted);
			if (found !== undefined) return found;
		}
		return wanted === 'text/plain' ? findText(entity, 'text/') : undefined;
	}
	if (!contentType.startsWith(wanted)) return undefined;
	const charset = /charset="?([^";]+)"?/i.exec(contentType)?.[1] ?? 'utf-8';
	return new TextDecoder(charset).decode(decodeTransfer(entity.body, entity.headers['content-transfer-encoding']));
}

function decodeTransfer(body: string, encoding = '7bit'): Buffer {
	switch (encoding.toLowerCase()) {
		case 'base64':
			return Buffer.from(body.replace(/\s+/g, ''), 'base64');
		case 'quoted-printable':
			return decodeQuotedPrintable(body.replace(/=\n/g, ''));
		default:
			return Buffer.from(body, 'utf8');
	}
}

function decodeQuotedPrintable(text: string, underscoreIsSpace = false): Buffer {
	const bytes: number[] = [];
	for (let i = 0; i < text.length; i++) {
		const char = text[i] ?? '';
		const hex = text.slice(i + 1, i + 3);
		if (char === '=' && /^[0-9a-f]{2}$/i.test(hex)) {
			bytes.push(Number.parseInt(hex, 16));
			i += 2;
		} else if (char === '_' && underscoreIsSpace) {
			bytes.push(0x20);
		} else {
			bytes.push(...Buffer.from(char, 'utf8'));
		}
	}
	return Buffer.from(bytes);
}

// Adjacent encoded words are joined before decoding because nodemailer may split one UTF-8 character across two.
function decodeEncodedWords(value: string): string {
	return value
		.replace(/(=\?[^?]+\?[bq]\?[^?]*\?=)\s+(?==\?)/gi, '$1')
		.replace(/(?:=\?[^?]+\?[bq]\?[^?]*\?=)+/gi, (run) => {
			const words = [...run.matchAll(/=\?([^?*]+)[^?]*\?([bq])\?([^?]*)\?=/gi)];
			const charset = words[0]?.[1] ?? 'utf-8';
			const bytes = Buffer.concat(
				words.map(([, , kind, data = '']) =>
					kind?.toLowerCase() === 'b' ? Buffer.from(data, 'base64') : decodeQuotedPrintable(data, true),
				),
			);
			return new TextDecoder(charset).decode(bytes);
		});
}
