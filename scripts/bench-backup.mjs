// `npm run bench:backup`: which online SQLite backup blocks writers less — the backup API (stepwise or in one step)
// or `VACUUM INTO`? A child process plays the server, committing small write transactions in a loop (its own
// connection, WAL, busy_timeout as the store uses); this process plays `commerce backup`. Reports each method's
// duration and the writer's throughput and latency while it runs, beside a baseline. Figures, not assertions.
// BENCH_BACKUP_MB sets the database size (default 200), BENCH_BACKUP_ROUNDS the repetitions of the one-step methods
// (alternated; the median round is reported). Writes tests/output/backup-bench.json.
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';

const MB = Number(process.env.BENCH_BACKUP_MB ?? 200);
const ROUNDS = Number(process.env.BENCH_BACKUP_ROUNDS ?? 3);
const STEPWISE_SECONDS = 20;

function open(file) {
	const db = new SQLite(file);
	db.pragma('journal_mode = WAL');
	db.pragma('busy_timeout = 5000');
	db.pragma('synchronous = NORMAL');
	return db;
}

if (process.argv[2] === 'writer') {
	// The "server": one small write transaction at a time, as fast as it can, timing each.
	const db = open(process.argv[3]);
	const insert = db.prepare('insert into orders (id, body, created_at) values (?, ?, ?)');
	const bump = db.prepare('update stock set quantity = quantity - 1 where id = 1');
	const write = db.transaction((i) => {
		insert.run(`w_${process.pid}_${i}`, 'x'.repeat(400), new Date().toISOString());
		bump.run();
	});
	let samples = [];
	let i = 0;
	process.on('disconnect', () => process.exit(0));
	process.on('message', (message) => {
		if (message === 'report') {
			process.send(samples);
			samples = [];
		}
		if (message === 'stop') process.exit(0);
	});
	const loop = () => {
		const end = Date.now() + 20;
		while (Date.now() < end) {
			const start = performance.now();
			write.immediate(i++);
			samples.push(performance.now() - start);
		}
		setImmediate(loop);
	};
	loop();
} else {
	const dir = mkdtempSync(join(tmpdir(), 'frostbuy-backup-bench-'));
	const file = join(dir, 'shop.sqlite');
	const db = open(file);
	db.exec(
		'create table orders (id text primary key, body text not null, created_at text not null); create index orders_created on orders (created_at); create table stock (id integer primary key, quantity integer not null); insert into stock values (1, 1000000000);',
	);
	const fill = db.prepare('insert into orders values (?, ?, ?)');
	const rows = Math.round((MB * 1024 * 1024) / 520);
	db.transaction(() => {
		for (let i = 0; i < rows; i++) fill.run(`seed_${i}`, 'y'.repeat(400), new Date(1e12 + i * 1000).toISOString());
	})();
	db.pragma('wal_checkpoint(TRUNCATE)');
	db.close();
	const size = statSync(file).size;

	const writer = fork(new URL(import.meta.url).pathname, ['writer', file], { stdio: 'inherit' });
	const report = () =>
		new Promise((resolve) => {
			writer.once('message', resolve);
			writer.send('report');
		});
	const summarize = (samples, seconds) => {
		const sorted = [...samples].sort((a, b) => a - b);
		const pct = (p) =>
			Math.round(sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] * 100) / 100;
		return {
			writesPerSecond: Math.round(samples.length / seconds),
			p50ms: pct(50),
			p99ms: pct(99),
			maxMs: Math.round((sorted.at(-1) ?? 0) * 100) / 100,
		};
	};
	const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

	async function measure(name, run) {
		await sleep(300);
		await report(); // discard what happened before
		const target = join(dir, `${name}.sqlite`);
		rmSync(target, { force: true });
		const started = performance.now();
		const detail = await run(target);
		const seconds = (performance.now() - started) / 1000;
		const writes = summarize(await report(), seconds);
		const copy = existsSync(target) ? statSync(target).size : 0;
		return {
			method: name,
			seconds: Math.round(seconds * 1000) / 1000,
			copyMB: Math.round(copy / 1048576),
			...detail,
			writer: writes,
		};
	}

	await sleep(1000);
	await report();
	await sleep(3000);
	const baseline = summarize(await report(), 3);

	const results = [];
	// The backup API as better-sqlite3 runs it by default: 100 pages per step, yielding between steps. Another
	// connection's commit between two steps restarts it; bounded at STEPWISE_SECONDS.
	results.push(
		await measure('backup-api-100-pages', async (target) => {
			const source = new SQLite(file, { readonly: true });
			let restarts = 0;
			let last = Number.POSITIVE_INFINITY;
			let timedOut = false;
			const deadline = Date.now() + STEPWISE_SECONDS * 1000;
			try {
				await source.backup(target, {
					progress: ({ remainingPages }) => {
						if (remainingPages > last) restarts++;
						last = remainingPages;
						if (Date.now() > deadline) {
							timedOut = true;
							throw new Error('timeout');
						}
						return 100;
					},
				});
			} catch (error) {
				if (!timedOut) throw error;
			} finally {
				source.close();
			}
			return { restarts, finished: !timedOut };
		}),
	);
	const oneStep = async (target) => {
		// The backup API in one step: one read transaction over the whole copy (a consistent snapshot, no restarts).
		const source = new SQLite(file, { readonly: true });
		try {
			await source.backup(target, { progress: () => 0x7fffffff });
		} finally {
			source.close();
		}
		return { restarts: 0, finished: true };
	};
	const vacuumInto = async (target) => {
		// VACUUM INTO: one read transaction; writes a compacted, defragmented copy.
		const source = new SQLite(file, { readonly: true });
		try {
			source.prepare('vacuum into ?').run(target);
		} finally {
			source.close();
		}
		return { restarts: 0, finished: true };
	};
	const rounds = { 'backup-api-one-step': [], 'vacuum-into': [] };
	for (let round = 0; round < ROUNDS; round++) {
		// Alternate the order so neither method always runs on a warmer cache.
		const order = round % 2 ? ['vacuum-into', 'backup-api-one-step'] : ['backup-api-one-step', 'vacuum-into'];
		for (const name of order) rounds[name].push(await measure(name, name === 'vacuum-into' ? vacuumInto : oneStep));
	}
	for (const [name, list] of Object.entries(rounds)) {
		const sorted = [...list].sort((a, b) => a.seconds - b.seconds);
		results.push({ ...sorted[Math.floor(sorted.length / 2)], rounds: list.length, method: name });
	}
	writer.send('stop');

	const out = {
		measuredAt: new Date().toISOString(),
		machine: `${process.platform} ${process.arch}, Node ${process.version}`,
		databaseMB: Math.round(size / 1048576),
		writerBaseline: baseline,
		results,
	};
	mkdirSync('tests/output', { recursive: true });
	writeFileSync('tests/output/backup-bench.json', `${JSON.stringify(out, null, 2)}\n`);
	console.log(`database ${out.databaseMB} MB; writer alone: ${JSON.stringify(baseline)}`);
	console.table(
		results.map((r) => ({
			method: r.method,
			seconds: r.seconds,
			finished: r.finished,
			restarts: r.restarts,
			'writes/s': r.writer.writesPerSecond,
			'write p99 ms': r.writer.p99ms,
			'write max ms': r.writer.maxMs,
		})),
	);
	rmSync(dir, { recursive: true, force: true });
}
