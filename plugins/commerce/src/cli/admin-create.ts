import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { type DatabaseTarget, describeTarget, openDatabase } from '../db/client.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { STARTUP_LOCK, withDatabaseLock } from '../db/transaction.ts';
import { createAdminUser } from '../services/admin/admin-users.ts';

/**
 * Reads the password without it ever being in argv (shell history, `ps`): the first line of stdin when piped, else a
 * prompt on the terminal with echo off.
 */
export async function readPassword(
	input: NodeJS.ReadStream = process.stdin,
	prompt = 'Password (at least 12 characters): ',
): Promise<string> {
	if (!input.isTTY) {
		let text = '';
		for await (const chunk of input) text += String(chunk);
		return text.split(/\r?\n/)[0] ?? '';
	}
	// A silent output: readline would otherwise echo every typed character.
	let muted = false;
	const output = new Writable({
		write(chunk, _encoding, done) {
			if (!muted) process.stderr.write(chunk);
			done();
		},
	});
	const rl = createInterface({ input, output, terminal: true });
	try {
		return await new Promise<string>((resolvePassword) => {
			rl.question(prompt, (answer) => {
				process.stderr.write('\n');
				resolvePassword(answer);
			});
			muted = true;
		});
	} finally {
		rl.close();
	}
}

/** `commerce admin:create --email <e> [--role admin|staff]`: creates or promotes an account; returns the exit code. */
export async function adminCreate(
	args: { email?: string; role?: string; databasePath: string | DatabaseTarget },
	password: () => Promise<string> = () => readPassword(),
): Promise<number> {
	if (!args.email) {
		console.error('admin:create needs --email <address>, e.g. `commerce admin:create --email ana@shop.example`.');
		return 2;
	}
	const role = args.role ?? 'admin';
	if (role !== 'admin' && role !== 'staff') {
		console.error(`--role ${role} is not a role: use admin (everything) or staff (orders and inventory).`);
		return 2;
	}
	const secret = await password();
	const db = openDatabase(args.databasePath);
	try {
		await withDatabaseLock(db, STARTUP_LOCK, () => migrateToLatest(db));
		const result = await createAdminUser(db, { email: args.email, password: secret, role });
		if (!result.ok) {
			console.error(`The ${role} account was not created: ${result.message}.`);
			return 1;
		}
		console.log(
			`${role} ${args.email.trim().toLowerCase()} ${result.created ? 'created' : 'promoted (its other sessions were signed out)'} (${typeof args.databasePath === 'string' ? args.databasePath : describeTarget(args.databasePath)})`,
		);
		return 0;
	} finally {
		await db.destroy();
	}
}
