import { hashPassword, passwordProblem } from '../../auth/password.ts';
import { invalidateCustomerSessions } from '../../auth/sessions.ts';
import type { CommerceDb } from '../../db/client.ts';
import { findCustomerByEmail, insertCustomer, updateCustomer } from '../../db/repositories/customer-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';

export type AdminUserResult = { ok: true; id: string; created: boolean } | { ok: false; message: string };

/**
 * Creates an admin or staff account, or promotes an existing customer (guest or registered) to it with the new
 * password. Admin users are customers with another role (see "Admin users" in system_design.md). Password rules are the
 * shop's (at least 12 characters). A promoted account's old sessions end, so the new password is the only way in.
 */
export async function createAdminUser(
	db: CommerceDb,
	input: { email: string; password: string; role: 'admin' | 'staff' },
): Promise<AdminUserResult> {
	const email = input.email.trim().toLowerCase();
	if (!/^[^\s@]+@[^\s@]+$/.test(email)) return { ok: false, message: `${input.email} is not an email address.` };
	const problem = passwordProblem(input.password);
	if (problem) return { ok: false, message: problem };
	const passwordHash = await hashPassword(input.password);
	return writeTransaction(db, async (trx) => {
		const at = new Date().toISOString();
		const credentials = { role: input.role, hasAccount: true, passwordHash };
		const existing = await findCustomerByEmail(trx, email);
		if (existing) {
			await updateCustomer(trx, existing.id, credentials, at);
			await invalidateCustomerSessions(trx, existing.id);
			return { ok: true, id: existing.id, created: false };
		}
		const created = await insertCustomer(trx, { email, ...credentials }, at);
		return { ok: true, id: created.id, created: true };
	});
}
