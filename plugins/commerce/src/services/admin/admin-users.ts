import { hashPassword, passwordProblem } from '../../auth/password.ts';
import { invalidateCustomerSessions } from '../../auth/sessions.ts';
import type { CommerceDb } from '../../db/client.ts';
import { newId } from '../../db/ids.ts';
import { findCustomerByEmail, insertCustomer } from '../../db/repositories/customer-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';

export type AdminUserResult = { ok: true; id: string; created: boolean } | { ok: false; message: string };

/**
 * Creates an admin or staff account, or promotes an existing customer (guest or registered) to it with the new
 * password. Password rules are the shop's (at least 12 characters). A promoted account's old sessions end, so the
 * new password is the only way in.
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
		const existing = await findCustomerByEmail(trx, email);
		if (existing) {
			await trx
				.updateTable('customer')
				.set({ role: input.role, has_account: 1, password_hash: passwordHash, updated_at: at })
				.where('id', '=', existing.id)
				.execute();
			await invalidateCustomerSessions(trx, existing.id);
			return { ok: true, id: existing.id, created: false };
		}
		const id = newId('cus');
		await insertCustomer(trx, {
			id,
			email,
			first_name: null,
			last_name: null,
			phone: null,
			has_account: 1,
			password_hash: passwordHash,
			role: input.role,
			billing_address_id: null,
			created_at: at,
			updated_at: at,
		});
		return { ok: true, id, created: true };
	});
}
