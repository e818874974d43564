import type { Kysely } from 'kysely';
import { anonymiseOrderRows } from '../../db/repositories/order-repository.ts';
import { ERASED_EMAIL } from '../../db/repositories/privacy-repository.ts';
import type { Database } from '../../db/types.ts';

/**
 * GDPR erasure of a customer's orders inside the caller's transaction: kept for accounting (amounts, lines, payment,
 * events), but without customer id and with `erased@erased.invalid` as email. The order writer's only non-transition
 * change; its addresses are stripped by the privacy repository in the same transaction.
 */
export async function anonymiseOrders(trx: Kysely<Database>, orderIds: string[], at: string): Promise<void> {
	await anonymiseOrderRows(trx, orderIds, ERASED_EMAIL, at);
}
