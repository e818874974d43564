import type { Kysely, Selectable } from 'kysely';
import type { Database, StockAlertTable } from '../types.ts';

// Back-in-stock requests (migration 0036).

type Db = Kysely<Database>;

export interface StockAlert {
	id: string;
	variantId: string;
	email: string;
	status: StockAlertTable['status'];
	origin: string;
	shopName: string;
	createdAt: string;
	confirmedAt: string | null;
	notifiedAt: string | null;
}

const toAlert = (r: Selectable<StockAlertTable>): StockAlert => ({
	id: r.id,
	variantId: r.variant_id,
	email: r.email,
	status: r.status,
	origin: r.origin,
	shopName: r.shop_name,
	createdAt: r.created_at,
	confirmedAt: r.confirmed_at,
	notifiedAt: r.notified_at,
});

/** The address's open request (pending or confirmed) for the variant, if any. */
export async function findOpenAlert(db: Db, variantId: string, email: string): Promise<StockAlert | null> {
	const row = await db
		.selectFrom('stock_alert')
		.selectAll()
		.where('variant_id', '=', variantId)
		.where('email', '=', email)
		.where('status', 'in', ['pending', 'confirmed'])
		.executeTakeFirst();
	return row ? toAlert(row) : null;
}

export async function insertAlert(db: Db, alert: StockAlert, tokenHash: string): Promise<void> {
	await db
		.insertInto('stock_alert')
		.values({
			id: alert.id,
			variant_id: alert.variantId,
			email: alert.email,
			status: alert.status,
			token_hash: tokenHash,
			origin: alert.origin,
			shop_name: alert.shopName,
			created_at: alert.createdAt,
			confirmed_at: null,
			notified_at: null,
		})
		.execute();
}

/** A new confirmation token for a pending request (asked again: the old link stops working). */
export async function replaceAlertToken(db: Db, id: string, tokenHash: string): Promise<void> {
	await db.updateTable('stock_alert').set({ token_hash: tokenHash }).where('id', '=', id).execute();
}

/** One request by id (the back-in-stock email reads it at delivery). */
export async function findAlertById(db: Db, id: string): Promise<StockAlert | null> {
	const row = await db.selectFrom('stock_alert').selectAll().where('id', '=', id).executeTakeFirst();
	return row ? toAlert(row) : null;
}

export async function findAlertByToken(db: Db, tokenHash: string): Promise<StockAlert | null> {
	const row = await db.selectFrom('stock_alert').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
	return row ? toAlert(row) : null;
}

export async function setAlertStatus(db: Db, id: string, status: StockAlertTable['status'], at: string): Promise<void> {
	await db
		.updateTable('stock_alert')
		.set({
			status,
			...(status === 'confirmed' ? { confirmed_at: at } : {}),
			...(status === 'notified' ? { notified_at: at } : {}),
		})
		.where('id', '=', id)
		.execute();
}

/** Confirmed requests for a variant, oldest first (who is told when it is back). */
export async function listConfirmedAlerts(db: Db, variantId: string): Promise<StockAlert[]> {
	const rows = await db
		.selectFrom('stock_alert')
		.selectAll()
		.where('variant_id', '=', variantId)
		.where('status', '=', 'confirmed')
		.orderBy('created_at')
		.execute();
	return rows.map(toAlert);
}

/** Every request for a variant (the admin's list), newest first. */
export async function listAlertsOfVariant(db: Db, variantId: string): Promise<StockAlert[]> {
	const rows = await db
		.selectFrom('stock_alert')
		.selectAll()
		.where('variant_id', '=', variantId)
		.orderBy('created_at', 'desc')
		.execute();
	return rows.map(toAlert);
}
