import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { verifyPassword } from '../../plugins/commerce/src/auth/password.ts';
import { adminCreate } from '../../plugins/commerce/src/cli/admin-create.ts';
import { main } from '../../plugins/commerce/src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'frostbuy-admin-cli-'));
const databasePath = join(dir, 'commerce.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const row = (email: string) => {
	const db = new SQLite(databasePath);
	try {
		return db.prepare('select role, has_account, password_hash from customer where email = ?').get(email) as
			| { role: string; has_account: number; password_hash: string }
			| undefined;
	} finally {
		db.close();
	}
};

describe('commerce admin:create', () => {
	it('refuses a --password flag before doing anything', async () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		expect(await main(['admin:create', '--email', 'a@shop.test', '--password', 'correct-horse-battery'])).toBe(2);
		expect(await main(['admin:create', '--email', 'a@shop.test', '--password=correct-horse-battery'])).toBe(2);
		expect(error.mock.calls[0][0]).toMatch(/never taken from the command line/);
		error.mockRestore();
	});

	it('refuses passwords under 12 characters and unknown roles', async () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		expect(await adminCreate({ email: 'short@shop.test', databasePath }, async () => 'short')).toBe(1);
		expect(
			await adminCreate({ email: 'x@shop.test', role: 'owner', databasePath }, async () => 'long-enough-password'),
		).toBe(2);
		expect(row('short@shop.test')).toBeUndefined();
		error.mockRestore();
	});

	it('creates an admin, then promotes/demotes the same account with a new password', async () => {
		const log = vi.spyOn(console, 'log').mockImplementation(() => {});
		expect(await adminCreate({ email: 'Ana@Shop.test', databasePath }, async () => 'first-password-123')).toBe(0);
		expect(row('ana@shop.test')).toMatchObject({ role: 'admin', has_account: 1 });
		expect(
			await adminCreate({ email: 'ana@shop.test', role: 'staff', databasePath }, async () => 'second-password-123'),
		).toBe(0);
		const updated = row('ana@shop.test')!;
		expect(updated.role).toBe('staff');
		expect(await verifyPassword(updated.password_hash, 'second-password-123')).toBe(true);
		log.mockRestore();
	});
});
