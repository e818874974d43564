import { describe, expect, it } from 'vitest';
import { createLogger, logFormat } from '../../plugins/commerce/src/log/logger.ts';
import { prettyLine } from '../../plugins/commerce/src/log/pretty.ts';
import { maskEmail, scrubText } from '../../plugins/commerce/src/log/redact.ts';
import {
	loggedPath,
	newRequestContext,
	requestIdFor,
	routeLabel,
	runWithRequest,
} from '../../plugins/commerce/src/log/request-log.ts';

function capture() {
	const lines: string[] = [];
	return { lines, destination: { write: (line: string) => void lines.push(line) } };
}

describe('scrubbing finished log lines', () => {
	it('replaces card numbers in every common format, and only Luhn-valid ones', () => {
		for (const card of ['4242424242424242', '4242 4242 4242 4242', '4000-0000-0000-9995', '378282246310005'])
			expect(scrubText(`card ${card} declined`)).toBe('card [card number] declined');
		// A run of digits that fails the Luhn check is not a card number.
		expect(scrubText('ref 4242424242424243')).toBe('ref 4242424242424243');
		// Inside a JSON string it goes; a JSON number value stays a number (the line must stay valid JSON).
		expect(scrubText('{"msg":"4242424242424242","bytes":4242424242424242}')).toBe(
			'{"msg":"[card number]","bytes":4242424242424242}',
		);
		// Epoch milliseconds, ids with digits, amounts: left alone.
		expect(scrubText('at 1764600000001 order_01JF4242424242424242 total 4999')).toBe(
			'at 1764600000001 order_01JF4242424242424242 total 4999',
		);
	});

	it('masks email addresses, also percent-encoded in paths, but not the demo admin', () => {
		expect(maskEmail('to sam.bobcat@example.com now')).toBe('to s***@example.com now');
		expect(scrubText('/store/auth/sam%40example.com')).toBe('/store/auth/s***%40example.com');
		expect(scrubText('demo admin: admin@frostbuy.local password: x')).toBe(
			'demo admin: admin@frostbuy.local password: x',
		);
	});
});

describe('the logger', () => {
	it('writes JSON lines with ISO time and the current request id, redacting secret fields and scrubbing text', () => {
		const out = capture();
		const log = createLogger({ env: { LOG_LEVEL: 'info' }, destination: out.destination });
		const request = newRequestContext('POST', '/store/carts/cart_1/complete?email=a@b.co', null, 'server');
		runWithRequest(request, () => {
			log.info({ body: { password: 'correct-horse-battery', card_number: '4242424242424242' } }, 'checkout');
			log.error({ err: new Error('card 4242 4242 4242 4242 of ada@example.com failed') }, 'payment failed');
		});
		log.info('outside any request');
		const [first, second, third] = out.lines.map((l) => JSON.parse(l));
		expect(first).toMatchObject({ level: 30, reqId: request.id, msg: 'checkout' });
		expect(first.time).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect(first.body).toEqual({ password: '[redacted]', card_number: '[redacted]' });
		expect(second.reqId).toBe(request.id);
		expect(second.err.message).toBe('card [card number] of a***@example.com failed');
		expect(third.reqId).toBeUndefined();
		const all = out.lines.join('');
		for (const secret of ['correct-horse-battery', '4242424242424242', '4242 4242', 'ada@example.com'])
			expect(all).not.toContain(secret);
	});

	it('is JSON unless a terminal watches (or LOG_FORMAT says so)', () => {
		expect(logFormat({}, { isTTY: false })).toBe('json');
		expect(logFormat({}, { isTTY: true })).toBe('pretty');
		expect(logFormat({ LOG_FORMAT: 'json' }, { isTTY: true })).toBe('json');
		expect(logFormat({ LOG_FORMAT: 'pretty' }, { isTTY: false })).toBe('pretty');
	});

	it('renders a line for a terminal', () => {
		const line = JSON.stringify({
			level: 30,
			time: '2026-12-01T14:00:01.234Z',
			reqId: 'r1',
			method: 'GET',
			path: '/store/products',
			status: 200,
			durationMs: 3.2,
			msg: 'request completed',
		});
		expect(prettyLine(line)).toBe('14:00:01.234 INFO  GET /store/products 200 3.2ms reqId=r1\n');
		expect(prettyLine('not json')).toBe('not json');
	});
});

describe('request context', () => {
	it('trusts an incoming X-Request-Id only from a trusted proxy, and only when it looks like an id', () => {
		expect(requestIdFor('proxy-id-12345678', { TRUST_PROXY: '1' })).toBe('proxy-id-12345678');
		expect(requestIdFor('proxy-id-12345678', {})).not.toBe('proxy-id-12345678');
		expect(requestIdFor('bad id with spaces\n', { TRUST_PROXY: '1' })).toMatch(/^[0-9a-f-]{36}$/);
	});

	it('logs the decoded pathname without the query string, and labels routes by pattern', () => {
		expect(loggedPath('/store/customers/me?token=secret')).toBe('/store/customers/me');
		expect(loggedPath('/store/auth/a%40b.co')).toBe('/store/auth/a@b.co');
		const context = newRequestContext('GET', '/store/carts/cart_123', null, 'middleware');
		expect(routeLabel(context)).toBe('static');
		context.routePattern = '/store/[...path]';
		expect(routeLabel(context)).toBe('/store/[...path]');
		context.subRoute = '/carts/:id';
		expect(routeLabel(context)).toBe('/store/carts/:id');
	});
});
