// Makes sure a PostgreSQL server answers for the test matrix (unit-postgres, the two-instance test): the running
// service on CI and these machines; on a fresh Debian machine (as root) Debian's package is installed and started, as
// npm test does for Chromium. Loopback connections are trusted for the tests (the store itself uses whatever
// DATABASE_URL says). `COMMERCE_TEST_PG=postgres://…` points the tests at another server and skips all of this.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';

const answers = (port = 5432) =>
	new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
		socket.setTimeout(2000, () => {
			socket.destroy();
			resolve(false);
		});
	});

function run(command, args) {
	console.log(`\n=== PostgreSQL: ${command} ${args.join(' ')}`);
	return spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;
}

/** Resolves when PostgreSQL answers on 127.0.0.1:5432; returns an error message when it cannot be made to. */
export async function ensurePostgres() {
	if (process.env.COMMERCE_TEST_PG) return null;
	if (await answers()) return null;
	if (process.getuid?.() !== 0)
		return 'No PostgreSQL on 127.0.0.1:5432. Install and start it (sudo apt-get install -y postgresql && sudo pg_ctlcluster 15 main start), or set COMMERCE_TEST_PG=postgres://user@host:port.';
	if (!existsSync('/etc/postgresql') || !readdirSync('/etc/postgresql').length) {
		if (run('apt-get', ['update', '-qq']) || run('apt-get', ['install', '-y', '-qq', 'postgresql']))
			return 'apt-get could not install postgresql.';
	}
	const version = readdirSync('/etc/postgresql').sort().at(-1);
	const hba = `/etc/postgresql/${version}/main/pg_hba.conf`;
	const rule = 'host all all 127.0.0.1/32 trust';
	if (existsSync(hba) && !readFileSync(hba, 'utf8').includes(rule))
		writeFileSync(
			hba,
			`# added by FrostBuy's npm test: loopback test databases\n${rule}\n${readFileSync(hba, 'utf8')}`,
		);
	run('pg_ctlcluster', [version, 'main', 'start']);
	run('pg_ctlcluster', [version, 'main', 'reload']);
	for (let i = 0; i < 30; i++) {
		if (await answers()) return null;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	return `PostgreSQL ${version} did not start on 127.0.0.1:5432 (see /var/log/postgresql/).`;
}
