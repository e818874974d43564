import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readyCart, store, variantId } from '../helpers/checkout.ts';
import { repoRoot, startServer, type TestServer } from '../helpers/server.ts';

// Operations against the built store over real HTTP: JSON logs with request ids and nothing secret in them, Prometheus
// metrics that move, liveness vs readiness, and an online backup taken during a checkout load that restores into a
// new server with every acknowledged order and balanced stock.

const TOKEN = 'metrics-token-for-tests-0123456789';
const CLI = join(repoRoot, 'plugins/commerce/bin/commerce.mjs');
const dir = mkdtempSync(join(tmpdir(), 'frostbuy-ops-'));

let server: TestServer;
beforeAll(async () => {
	server = await startServer({ env: { METRICS_TOKEN: TOKEN } });
});
afterAll(async () => {
	await server?.stop();
	rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [CLI, ...args], {
			cwd: repoRoot,
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (c) => (out += c));
		child.stderr.on('data', (c) => (err += c));
		child.once('exit', (code) => resolve({ code: code ?? 1, out, err }));
	});
}

async function scrape(target: TestServer | string, token?: string): Promise<{ status: number; text: string }> {
	const base = typeof target === 'string' ? target : target.url;
	const response = await fetch(`${base}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
	return { status: response.status, text: await response.text() };
}

/** One sample's value in Prometheus text (0 when absent). */
function sample(text: string, series: string): number {
	const line = text.split('\n').find((l) => l.startsWith(`${series} `));
	return line ? Number(line.slice(series.length + 1)) : 0;
}

/** Sets a variant's stock, recording the change in the ledger as an admin adjustment would. */
function setStock(databasePath: string, variant: string, units: number) {
	const db = new SQLite(databasePath);
	db.pragma('busy_timeout = 5000');
	const current = (
		db.prepare('select stocked_quantity as q from inventory_level where variant_id = ?').get(variant) as { q: number }
	).q;
	db.prepare('update inventory_level set stocked_quantity = ? where variant_id = ?').run(units, variant);
	db.prepare(
		"insert into inventory_ledger (id, variant_id, delta, quantity_after, reason, reference_id, actor, note, created_at) values (?, ?, ?, ?, 'admin_adjustment', null, 'test', 'ops setup', ?)",
	).run(`invl_ops_${variant}_${Date.now()}`, variant, units - current, units, new Date().toISOString());
	db.close();
}

const logLines = (output: string) => output.split('\n').filter((line) => line.trim());

describe('structured logs', () => {
	const email = 'ops.secret.shopper@example.com';
	const password = 'ops-Correct-Horse-Battery-77';
	const card = '4242424242424242';
	const declined = '4000000000000002';

	it('are JSON lines; every request line carries the request id the response returned, and nothing secret', async () => {
		const register = await store(server, 'POST', '/customers', {
			first_name: 'Ops',
			last_name: 'Shopper',
			email,
			password,
		});
		expect(register.status).toBe(200);
		expect((await store(server, 'POST', '/auth', { email, password })).status).toBe(200);
		expect((await store(server, 'POST', '/auth', { email, password: `${password}-wrong` })).status).toBe(401);
		const mug = await variantId(server, 'snowflake-mug');
		const paid = await readyCart(server, { items: [{ variantId: mug, quantity: 1 }], email, card });
		const order = await store(server, 'POST', `/carts/${paid}/complete`, {});
		expect(order.json.type).toBe('order');
		const refused = await readyCart(server, { items: [{ variantId: mug, quantity: 1 }], email, card: declined });
		expect((await store(server, 'POST', `/carts/${refused}/complete`, {})).status).toBe(422);
		// Secrets in a path, a query string and a bad request body.
		await store(server, 'GET', `/auth/${encodeURIComponent(email)}`);
		await store(server, 'GET', `/orders?display_id=${order.json.data.display_id}&email=${encodeURIComponent(email)}`);
		await store(server, 'POST', `/carts/${refused}/payment-sessions/test`, { data: { card_number: card, cvc: 'x' } });
		await store(server, 'POST', '/customers/password-token', { email });
		const traced = await fetch(`${server.url}/store/products?limit=1`);
		const id = traced.headers.get('x-request-id');
		expect(id).toMatch(/^[0-9a-f-]{36}$/);
		await new Promise((resolve) => setTimeout(resolve, 500));

		const lines = logLines(server.output());
		const entries = lines.map((line) => {
			try {
				return JSON.parse(line) as Record<string, unknown>;
			} catch {
				throw new Error(`not a JSON log line: ${line}`);
			}
		});
		// Start-up lines too: they belong to the start-up task, which has an id of its own.
		expect(entries.filter((e) => typeof e.reqId !== 'string')).toEqual([]);
		const access = entries.filter((e) => e.msg === 'request completed');
		expect(access.length).toBeGreaterThan(10);
		for (const entry of access) {
			expect(entry.reqId).toEqual(expect.any(String));
			expect(entry).toMatchObject({
				method: expect.any(String),
				path: expect.any(String),
				route: expect.any(String),
				status: expect.any(Number),
				durationMs: expect.any(Number),
			});
			expect(String(entry.path)).not.toContain('?');
		}
		expect(access.find((e) => e.reqId === id)).toMatchObject({
			method: 'GET',
			path: '/store/products',
			route: '/store/products',
			status: 200,
		});
		expect(access.find((e) => e.path === `/store/carts/${paid}/complete`)).toMatchObject({
			route: '/store/carts/:id/complete',
			status: 200,
		});
		// A line written deep inside a request (the confirmation email's, by the mailer) carries that request's id.
		const completion = access.find((e) => e.path === `/store/carts/${paid}/complete`);
		const emailLine = entries.find((e) => String(e.msg).includes(`Order #${order.json.data.display_id} confirmed`));
		expect(emailLine?.reqId).toBe(completion?.reqId);

		const output = server.output();
		for (const secret of [card, '4242 4242 4242 4242', declined, password, email, encodeURIComponent(email)])
			expect(output, secret).not.toContain(secret);
		expect(output).toContain('o***@example.com');
	});
});

describe('GET /metrics', () => {
	it('answers 401 without the bearer token and serves Prometheus text with it', async () => {
		expect((await scrape(server)).status).toBe(401);
		expect((await scrape(server, 'not-the-token')).status).toBe(401);
		const { status, text } = await scrape(server, TOKEN);
		expect(status).toBe(200);
		expect(text).toMatch(/^# HELP http_requests_total /m);
		expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
		expect(text).toMatch(/^commerce_email_queue_depth \d+/m);
		expect(text).toMatch(/^commerce_analytics_queue_depth \d+/m);
	});

	it('moves when an order is placed and a payment fails, with route patterns (never ids) as labels', async () => {
		const before = (await scrape(server, TOKEN)).text;
		const tee = await variantId(server, 'bobcat-paw-tee', 'M');
		const cart = await readyCart(server, { items: [{ variantId: tee, quantity: 1 }], email: 'metrics@example.com' });
		expect((await store(server, 'POST', `/carts/${cart}/complete`, {})).json.type).toBe('order');
		const declined = await readyCart(server, {
			items: [{ variantId: tee, quantity: 1 }],
			email: 'metrics@example.com',
			card: '4000000000000002',
		});
		await store(server, 'POST', `/carts/${declined}/complete`, {});
		await fetch(`${server.url}/webhooks/stripe`, {
			method: 'POST',
			body: '{}',
			headers: { 'content-type': 'application/json', 'stripe-signature': 'x' },
		});
		const after = (await scrape(server, TOKEN)).text;

		const orders = 'commerce_orders_placed_total{currency="usd"}';
		expect(sample(after, orders)).toBe(sample(before, orders) + 1);
		const completions = 'http_requests_total{method="POST",route="/store/carts/:id/complete",status="200"}';
		expect(sample(after, completions)).toBe(sample(before, completions) + 1);
		const failures = (text: string) =>
			text
				.split('\n')
				.filter((l) => l.startsWith('commerce_payment_failures_total{provider="test"'))
				.reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
		expect(failures(after)).toBe(failures(before) + 1);
		const webhook = 'commerce_webhook_failures_total{provider="stripe",reason="not_configured"}';
		expect(sample(after, webhook)).toBe(sample(before, webhook) + 1);
		expect(after).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/store\/carts\/:id\/complete"\}/);
		const labels = after.split('\n').filter((l) => l.startsWith('http_request'));
		// Ids are `<prefix>_<26 ULID characters>`; route patterns name them `:id`, `:cart_id`.
		expect(labels.filter((l) => /[a-z]+_[0-9A-Z]{26}/.test(l))).toEqual([]);
	});
});

describe('health: liveness, readiness, detail', () => {
	it('liveness is a cheap ping that reports the dialect; detail lists migrations', async () => {
		const live = await store(server, 'GET', '/health');
		expect(live.status).toBe(200);
		expect(live.json).toMatchObject({ status: 'ok', database: { status: 'ok', dialect: 'sqlite', pending: 0 } });
		const full = await store(server, 'GET', '/health?full=1');
		expect(full.json.migrations.applied).toContain('2026-12-01-0016-operations');
		expect(full.json).toMatchObject({ ready: { status: 'ready' }, queues: { email: { depth: 0 } } });
		expect(JSON.stringify(full.json)).not.toContain(server.databasePath);
	});

	it('readiness fails while a migration is pending, and recovers when it is applied', async () => {
		expect((await store(server, 'GET', '/health/ready')).json).toMatchObject({
			status: 'ready',
			dialect: 'sqlite',
			checks: { database: 'ok', schema: 'current', draining: false },
		});
		const db = new SQLite(server.databasePath);
		const row = db.prepare("select * from kysely_migration where name = '2026-12-01-0016-operations'").get() as {
			name: string;
			timestamp: string;
		};
		db.prepare('delete from kysely_migration where name = ?').run(row.name);
		try {
			const pending = await store(server, 'GET', '/health/ready');
			expect(pending.status).toBe(503);
			expect(pending.json).toMatchObject({ status: 'not_ready', checks: { schema: 'pending' } });
			expect(pending.json.reasons.join(' ')).toMatch(/migration/);
			expect(sample((await scrape(server, TOKEN)).text, 'commerce_ready')).toBe(0);
		} finally {
			db.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run(row.name, row.timestamp);
			db.close();
		}
		expect((await store(server, 'GET', '/health/ready')).status).toBe(200);
	});
});

describe('backup under checkout load, restored into a new server', () => {
	it('has every order acknowledged before the backup began, stock that balances, and integrity ok', async () => {
		const tee = await variantId(server, 'bobcat-paw-tee', 'L');
		const cap = await variantId(server, 'bobcat-cap');
		setStock(server.databasePath, tee, 100_000);
		setStock(server.databasePath, cap, 100_000);
		const acknowledged: { id: string; at: number }[] = [];
		let stop = false;
		let failures = 0;
		const worker = async (n: number) => {
			for (let i = 0; !stop; i++) {
				const items = [
					{ variantId: tee, quantity: 1 + (i % 3) },
					{ variantId: cap, quantity: 1 },
				];
				const cart = await readyCart(server, { items, email: `load${n}.${i}@example.com` });
				const done = await store(server, 'POST', `/carts/${cart}/complete`, {});
				if (done.json?.type === 'order') acknowledged.push({ id: done.json.data.id, at: Date.now() });
				else failures++;
			}
		};
		const load = Promise.all([0, 1, 2, 3].map(worker));
		while (acknowledged.length < 12) await new Promise((resolve) => setTimeout(resolve, 50));

		const began = Date.now();
		const backup = await cli(['backup', join(dir, 'under-load/'), '--json'], { COMMERCE_DB: server.databasePath });
		const ordersDuringBackup = acknowledged.filter((o) => o.at >= began).length;
		// Keep the load going a little after the copy, then stop.
		await new Promise((resolve) => setTimeout(resolve, 300));
		stop = true;
		await load;
		expect(backup.code, backup.err).toBe(0);
		const report = JSON.parse(backup.out);
		expect(report).toMatchObject({ ok: true, integrity: 'ok', dialect: 'sqlite' });
		expect(existsSync(report.file)).toBe(true);
		expect(existsSync(`${report.file}.sha256`)).toBe(true);
		expect(failures).toBe(0);

		// Restoring over the live database is refused while the server runs.
		const refused = await cli(['restore', report.file, '--db', server.databasePath]);
		expect(refused.code).toBe(1);
		expect(refused.err).toMatch(/A server is using/);

		const target = join(dir, 'restored', 'commerce.sqlite');
		const restored = await cli(['restore', report.file, '--db', target, '--json']);
		expect(restored.code, restored.err).toBe(0);
		expect(JSON.parse(restored.out)).toMatchObject({ ok: true, checksum: 'verified', kept: null });

		const second = await startServer({ env: { COMMERCE_DB: target, METRICS_TOKEN: TOKEN } });
		try {
			expect((await store(second, 'GET', '/health/ready')).status).toBe(200);
			const db = new SQLite(target, { readonly: true });
			const present = new Set((db.prepare('select id from orders').pluck().all() as string[]).map(String));
			const before = acknowledged.filter((o) => o.at < began);
			expect(before.length).toBeGreaterThanOrEqual(12);
			expect(before.filter((o) => !present.has(o.id))).toEqual([]);
			expect((db.pragma('integrity_check') as { integrity_check: string }[])[0].integrity_check).toBe('ok');
			// Stock balances: every variant's level is the sum of its ledger, and the order lines match the ledger.
			const unbalanced = db
				.prepare(
					`select l.variant_id, l.stocked_quantity, coalesce(sum(g.delta), 0) as ledger
					 from inventory_level l left join inventory_ledger g on g.variant_id = l.variant_id
					 group by l.variant_id having l.stocked_quantity != coalesce(sum(g.delta), 0)`,
				)
				.all();
			expect(unbalanced).toEqual([]);
			const sold = db
				.prepare(
					"select (select coalesce(sum(quantity), 0) from order_line where variant_id = ?) as lines, (select -coalesce(sum(delta), 0) from inventory_ledger where variant_id = ? and reason = 'order') as ledger",
				)
				.get(tee, tee) as { lines: number; ledger: number };
			expect(sold.lines).toBe(sold.ledger);
			db.close();
			// The restored store serves: its catalog and a new order.
			const cart = await readyCart(second, { items: [{ variantId: cap, quantity: 1 }], email: 'after@example.com' });
			expect((await store(second, 'POST', `/carts/${cart}/complete`, {})).json.type).toBe('order');
		} finally {
			await second.stop();
		}
		// Written to the log so a failing run says how much was happening.
		console.log(`backup under load: ${acknowledged.length} orders, ${ordersDuringBackup} placed while it ran`);
	});
});

describe('scheduled backups from the running server', () => {
	it('back up on the interval, keep the newest n, and report the last success in /metrics', async () => {
		const backups = join(dir, 'scheduled');
		const scheduled = await startServer({
			env: {
				METRICS_TOKEN: TOKEN,
				COMMERCE_BACKUP_INTERVAL: '2s',
				COMMERCE_BACKUP_KEEP: '2',
				COMMERCE_BACKUP_DIR: backups,
			},
		});
		try {
			const deadline = Date.now() + 30_000;
			const written = () => logLines(scheduled.output()).filter((l) => l.includes('scheduled backup written')).length;
			while (written() < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
			expect(written()).toBeGreaterThanOrEqual(3);
			const files = readdirSync(backups).filter((n) => n.endsWith('.sqlite'));
			expect(files).toHaveLength(2);
			expect(files.every((n) => /^commerce-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ(-\d+)?\.sqlite$/.test(n))).toBe(true);
			const text = (await scrape(scheduled, TOKEN)).text;
			expect(sample(text, 'commerce_backups_total{status="ok"}')).toBeGreaterThanOrEqual(3);
			expect(sample(text, 'commerce_backup_last_success_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 60);
			const full = await store(scheduled, 'GET', '/health?full=1');
			expect(full.json.backups).toMatchObject({ schedule: { every_seconds: 2, keep: 2 } });
			expect(full.json.backups.last_success_at).toEqual(expect.any(String));
		} finally {
			await scheduled.stop();
		}
	});
});

describe('a site served by plain `node dist/server/entry.mjs`', () => {
	let child: ChildProcess | undefined;
	afterAll(() => {
		child?.kill('SIGTERM');
	});

	it('still logs JSON access lines with the request id and route, and sends X-Request-Id', async () => {
		const port = await new Promise<number>((resolve) => {
			const probe = createServer().listen(0, '127.0.0.1', () => {
				const address = probe.address();
				probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
			});
		});
		let output = '';
		child = spawn(process.execPath, [join(repoRoot, 'dist/server/entry.mjs')], {
			cwd: repoRoot,
			env: {
				...process.env,
				HOST: '127.0.0.1',
				PORT: String(port),
				COMMERCE_DB: join(dir, 'plain', 'commerce.sqlite'),
				METRICS_TOKEN: TOKEN,
			},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		child.stdout?.on('data', (c) => (output += c));
		child.stderr?.on('data', (c) => (output += c));
		const url = `http://127.0.0.1:${port}`;
		const deadline = Date.now() + 30_000;
		let response: Response | undefined;
		while (!response && Date.now() < deadline) {
			response = await fetch(`${url}/store/products?limit=1`).catch(() => undefined);
			if (!response) await new Promise((resolve) => setTimeout(resolve, 200));
		}
		expect(response?.status).toBe(200);
		const id = response?.headers.get('x-request-id');
		expect(id).toMatch(/^[0-9a-f-]{36}$/);
		expect((await scrape(url)).status).toBe(401);
		expect((await scrape(url, TOKEN)).text).toMatch(/http_requests_total\{method="GET",route="\/store\/products"/);
		await new Promise((resolve) => setTimeout(resolve, 300));
		const line = logLines(output).find((l) => l.includes(String(id)) && l.includes('request completed'));
		expect(line, output).toBeDefined();
		expect(JSON.parse(String(line))).toMatchObject({
			reqId: id,
			method: 'GET',
			path: '/store/products',
			route: '/store/products',
			status: 200,
			msg: 'request completed',
		});
	});
});
