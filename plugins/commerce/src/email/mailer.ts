import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type nodemailer from 'nodemailer';
import { slugify } from '../core/slug.ts';
import { logger } from '../log/logger.ts';

/** One rendered email, ready to send. */
export interface EmailMessage {
	/** A single recipient address, e.g. `ada@example.com` or `Ada <ada@example.com>`. */
	to: string;
	subject: string;
	text: string;
	html: string;
}

/** What `Mailer.send` reports back. */
export interface SendResult {
	/** The `Message-ID` header value of the sent message. */
	messageId: string;
	/** Absolute path of the `.eml` file, only in dev outbox mode. */
	outboxFile?: string;
}

/** Sends emails over SMTP, or writes them to a dev outbox directory when no SMTP server is configured. */
export interface Mailer {
	send(message: EmailMessage): Promise<SendResult>;
}

/** Options of `createMailer`. */
export interface MailerConfig {
	/** `smtp://user:pass@host:port` or `smtps://…`. Without it, messages go to `outboxDir` instead. */
	smtpUrl?: string;
	/** Where `.eml` files are written when `smtpUrl` is not set; created on first send. */
	outboxDir: string;
	/** The `From` header, e.g. `FrostBuy <orders@frostbuy.local>`. */
	from: string;
	/**
	 * Receives one line per message written to the outbox, never a message body.
	 * @default the plugin's logger (info)
	 */
	log?: (line: string) => void;
}

/**
 * nodemailer, loaded with the first message rather than at start (a server that sends no mail never pays its ~10 MB).
 * It is CommonJS: `require` returns the module an `import` would.
 */
function lazyTransport(options: Parameters<typeof nodemailer.createTransport>[0]) {
	let transport: ReturnType<typeof nodemailer.createTransport> | undefined;
	return () => {
		transport ??= (createRequire(import.meta.url)('nodemailer') as typeof nodemailer).createTransport(options);
		return transport;
	};
}

const DEFAULT_FROM = 'FrostBuy <orders@frostbuy.local>';
const LINE_BREAK = /[\r\n]/;

/**
 * Creates a mailer: SMTP when `cfg.smtpUrl` is set, otherwise a dev outbox that writes each message as an RFC 822
 * `.eml` file (openable in any mail client) and logs one line naming the file.
 */
export function createMailer(cfg: MailerConfig): Mailer {
	assertSingleLine('from', cfg.from);
	const log = cfg.log ?? ((line: string) => logger().info(line));

	if (cfg.smtpUrl) {
		const transport = lazyTransport(cfg.smtpUrl);
		return {
			async send(message) {
				assertHeaderSafe(message);
				const info = await transport().sendMail(toMailOptions(cfg.from, message));
				return { messageId: info.messageId };
			},
		};
	}

	const transport = lazyTransport({ streamTransport: true, buffer: true, newline: 'unix' });
	return {
		async send(message) {
			assertHeaderSafe(message);
			const info = await transport().sendMail(toMailOptions(cfg.from, message));
			if (!Buffer.isBuffer(info.message)) throw new Error('nodemailer returned a stream although buffer: true was set');
			const outboxFile = await writeOutboxFile(cfg.outboxDir, message.subject, info.message);
			// The body is deliberately left out: it may carry order links or, later, password reset tokens.
			log(`[commerce] email to ${message.to}: "${message.subject}" written to ${outboxFile}`);
			return { messageId: info.messageId, outboxFile };
		},
	};
}

/**
 * Reads the mailer settings from the environment: `SMTP_URL` (unset means dev outbox), `MAIL_FROM`
 * (default `FrostBuy <orders@frostbuy.local>`) and `COMMERCE_OUTBOX` (default `<cwd>/db/outbox`, relative paths
 * resolved against `cwd`).
 */
export function resolveMailerConfig(env: NodeJS.ProcessEnv, cwd: string): Omit<MailerConfig, 'log'> {
	const outboxDir = resolve(cwd, env.COMMERCE_OUTBOX || 'db/outbox');
	const from = env.MAIL_FROM || DEFAULT_FROM;
	return env.SMTP_URL ? { smtpUrl: env.SMTP_URL, outboxDir, from } : { outboxDir, from };
}

// Fields are copied one by one so an object carrying extra properties (bcc, attachments) cannot widen the message.
function toMailOptions(from: string, message: EmailMessage) {
	return { from, to: message.to, subject: message.subject, text: message.text, html: message.html };
}

function assertHeaderSafe(message: EmailMessage): void {
	assertSingleLine('to', message.to);
	assertSingleLine('subject', message.subject);
}

// A line break in a header value would let the caller (or a customer typing into a form) add headers such as Bcc.
function assertSingleLine(field: string, value: string): void {
	if (LINE_BREAK.test(value)) {
		throw new Error(
			`Email ${field} contains a line break, which could inject extra mail headers; remove CR and LF characters from it.`,
		);
	}
}

async function writeOutboxFile(dir: string, subject: string, eml: Buffer): Promise<string> {
	// Colons are not allowed in Windows file names, so the ISO timestamp uses dashes in its time part.
	const stamp = new Date().toISOString().replace(/:/g, '-');
	const slug = slugify(subject).slice(0, 60).replace(/-+$/, '') || 'message';
	let madeDir = false;
	for (let attempt = 1; ; attempt++) {
		const file = join(dir, `${stamp}-${slug}${attempt === 1 ? '' : `-${attempt}`}.eml`);
		try {
			// 'wx' fails instead of overwriting when two messages with one subject land in the same millisecond.
			await writeFile(file, eml, { flag: 'wx' });
			return file;
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			// The folder is created when a write finds it missing (first message, or removed meanwhile), not before
			// every message: a `mkdir` per email showed in a profile of completions.
			if (code === 'ENOENT' && !madeDir) {
				await mkdir(dir, { recursive: true });
				madeDir = true;
				attempt--; // the same name again
			} else if (code !== 'EEXIST') throw error;
		}
	}
}
