import type { Kysely } from 'kysely';
import type { Database } from '../types.ts';

// When a customer last proved their password, and from where (one row per customer; see migration 0032).

type Db = Kysely<Database>;

export async function recordPasswordProof(
	db: Db,
	customerId: string,
	clientAddress: string | null,
	at: string,
): Promise<void> {
	await db
		.insertInto('customer_reauth')
		.values({ customer_id: customerId, verified_at: at, client_address: clientAddress })
		.onConflict((oc) => oc.column('customer_id').doUpdateSet({ verified_at: at, client_address: clientAddress }))
		.execute();
}

export async function findPasswordProof(
	db: Db,
	customerId: string,
): Promise<{ verifiedAt: string; clientAddress: string | null } | undefined> {
	const row = await db
		.selectFrom('customer_reauth')
		.select(['verified_at', 'client_address'])
		.where('customer_id', '=', customerId)
		.executeTakeFirst();
	return row && { verifiedAt: row.verified_at, clientAddress: row.client_address };
}

export async function clearPasswordProof(db: Db, customerId: string): Promise<void> {
	await db.deleteFrom('customer_reauth').where('customer_id', '=', customerId).execute();
}
