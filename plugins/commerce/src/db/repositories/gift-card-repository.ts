import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { compiledQuery } from '../compiled-query.ts';
import { newId } from '../ids.ts';
import type { Database, GiftCardTable } from '../types.ts';

// Gift cards, the cards a cart carries, and the ledger of draws and restores. Balances change only through
// `drawGiftCard` (conditional: never below 0) and `restoreOrderDraws` (never above value), both inside the caller's
// transaction, so a balance always equals value minus the ledger's sum.

type Db = Kysely<Database>;

export interface GiftCard {
	id: string;
	code: string;
	value: number;
	balance: number;
	currencyCode: string;
	isDisabled: boolean;
	endsAt: string | null;
	note: string | null;
	createdBy: string | null;
	createdAt: string;
	updatedAt: string;
	/** The order that bought it (a gift-card product); null when the merchant issued it. */
	orderId: string | null;
	/** The order line that bought it (its metadata may name a recipient). */
	orderLineId: string | null;
}

export interface GiftCardUse {
	orderId: string;
	displayId: number | null;
	amount: number;
	createdAt: string;
}

const toGiftCard = (row: GiftCardTable): GiftCard => ({
	id: row.id,
	code: row.code,
	value: row.value,
	balance: row.balance,
	currencyCode: row.currency_code,
	isDisabled: row.is_disabled === 1,
	endsAt: row.ends_at,
	note: row.note,
	createdBy: row.created_by,
	createdAt: row.created_at,
	updatedAt: row.updated_at,
	orderId: row.order_id,
	orderLineId: row.order_line_id,
});

export async function findGiftCardByCode(db: Db, code: string): Promise<GiftCard | undefined> {
	const row = await db
		.selectFrom('gift_card')
		.selectAll()
		.where('code', '=', code.trim().toUpperCase())
		.executeTakeFirst();
	return row && toGiftCard(row);
}

export async function findGiftCardById(db: Db, id: string): Promise<GiftCard | undefined> {
	const row = await db.selectFrom('gift_card').selectAll().where('id', '=', id).executeTakeFirst();
	return row && toGiftCard(row);
}

export async function insertGiftCard(
	db: Db,
	card: Pick<GiftCard, 'code' | 'value' | 'currencyCode' | 'endsAt' | 'note' | 'createdBy'> & {
		/** A card bought with an order: the order and its gift-card line. */
		purchase?: { orderId: string; orderLineId: string };
	},
	at: string,
): Promise<string> {
	const id = newId('gift');
	await db
		.insertInto('gift_card')
		.values({
			id,
			code: card.code,
			value: card.value,
			balance: card.value,
			currency_code: card.currencyCode,
			is_disabled: 0,
			ends_at: card.endsAt,
			note: card.note,
			created_by: card.createdBy,
			order_id: card.purchase?.orderId ?? null,
			order_line_id: card.purchase?.orderLineId ?? null,
			created_at: at,
			updated_at: at,
		})
		.execute();
	return id;
}

export async function setGiftCardDisabled(db: Db, id: string, disabled: boolean, at: string): Promise<void> {
	await db
		.updateTable('gift_card')
		.set({ is_disabled: disabled ? 1 : 0, updated_at: at })
		.where('id', '=', id)
		.execute();
}

/** Newest first. */
export async function listGiftCards(db: Db, opts: { limit: number; offset: number }) {
	const rows = await db
		.selectFrom('gift_card')
		.selectAll()
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.limit(opts.limit)
		.offset(opts.offset)
		.execute();
	const { count } = await db
		.selectFrom('gift_card')
		.select((eb) => eb.fn.countAll<number>().as('count'))
		.executeTakeFirstOrThrow();
	return { cards: rows.map(toGiftCard), count: Number(count) };
}

/** The draws and restores of one card, newest first, with the order's number. */
export async function listGiftCardUses(db: Db, giftCardId: string): Promise<GiftCardUse[]> {
	const rows = await db
		.selectFrom('gift_card_transaction as t')
		.leftJoin('orders as o', 'o.id', 't.order_id')
		.select(['t.order_id', 'o.display_id', 't.amount', 't.created_at'])
		.where('t.gift_card_id', '=', giftCardId)
		.orderBy('t.created_at', 'desc')
		.orderBy('t.id', 'desc')
		.execute();
	return rows.map((r) => ({
		orderId: r.order_id,
		displayId: r.display_id ?? null,
		amount: r.amount,
		createdAt: r.created_at,
	}));
}

/** The cards a cart carries, in the order they were applied. */
const cartGiftCards = compiledQuery((db: Db, cartId: string) =>
	db
		.selectFrom('cart_gift_card as c')
		.innerJoin('gift_card as g', 'g.id', 'c.gift_card_id')
		.selectAll('g')
		.where('c.cart_id', '=', cartId)
		.orderBy('c.created_at')
		.orderBy('g.code'),
);

export async function listCartGiftCards(db: Db, cartId: string): Promise<GiftCard[]> {
	const { rows } = await cartGiftCards(db, cartId);
	return rows.map(toGiftCard);
}

export async function setCartGiftCards(db: Db, cartId: string, giftCardIds: string[], at: string): Promise<void> {
	await db.deleteFrom('cart_gift_card').where('cart_id', '=', cartId).execute();
	if (giftCardIds.length) {
		await db
			.insertInto('cart_gift_card')
			.values(giftCardIds.map((gift_card_id) => ({ cart_id: cartId, gift_card_id, created_at: at })))
			.execute();
	}
}

/**
 * Takes `amount` from a card for an order, only if the balance still covers it (one conditional UPDATE, so two orders
 * can never spend the same balance), and records the draw. Returns false when the balance no longer covers it.
 */
export async function drawGiftCard(
	db: Db,
	giftCardId: string,
	amount: number,
	orderId: string,
	at: string,
): Promise<boolean> {
	const result = await db
		.updateTable('gift_card')
		.set({ balance: sql`balance - ${amount}`, updated_at: at })
		.where('id', '=', giftCardId)
		.where('balance', '>=', amount)
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) !== 1) return false;
	await db
		.insertInto('gift_card_transaction')
		.values({ id: newId('gct'), gift_card_id: giftCardId, order_id: orderId, amount, created_at: at })
		.execute();
	return true;
}

/**
 * Gives back what an order still holds of each card (its draws minus earlier restores), recording a negative row per
 * card. Running it twice restores nothing the second time. Returns the total given back.
 */
export async function restoreOrderDraws(db: Db, orderId: string, at: string): Promise<number> {
	const held = await db
		.selectFrom('gift_card_transaction')
		.select(['gift_card_id', (eb) => eb.fn.sum<number>('amount').as('held')])
		.where('order_id', '=', orderId)
		.groupBy('gift_card_id')
		.execute();
	let restored = 0;
	for (const row of held) {
		const amount = Number(row.held);
		if (amount <= 0) continue;
		await db
			.updateTable('gift_card')
			.set({ balance: sql`balance + ${amount}`, updated_at: at })
			.where('id', '=', row.gift_card_id)
			.execute();
		await db
			.insertInto('gift_card_transaction')
			.values({ id: newId('gct'), gift_card_id: row.gift_card_id, order_id: orderId, amount: -amount, created_at: at })
			.execute();
		restored += amount;
	}
	return restored;
}

/** Cards an order bought (a gift-card product), oldest first. */
export async function listGiftCardsOfOrder(db: Db, orderId: string): Promise<GiftCard[]> {
	const rows = await db
		.selectFrom('gift_card')
		.selectAll()
		.where('order_id', '=', orderId)
		.orderBy('created_at')
		.orderBy('id')
		.execute();
	return rows.map(toGiftCard);
}

/** Disables every card an order bought that is still enabled; returns how many (the order's cancel or full refund). */
export async function disableGiftCardsOfOrder(db: Db, orderId: string, at: string): Promise<number> {
	const result = await db
		.updateTable('gift_card')
		.set({ is_disabled: 1, updated_at: at })
		.where('order_id', '=', orderId)
		.where('is_disabled', '=', 0)
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

// An order of one product (most orders) asks for one id: compiled once (compiled-query.ts).
const giftCardProduct = compiledQuery((db: Db, productId: string) =>
	db.selectFrom('product').select('id').where('id', '=', productId).where('is_giftcard', '=', 1),
);

/** Of these products, the ones sold as gift cards. */
export async function giftCardProductIds(db: Db, productIds: readonly string[]): Promise<Set<string>> {
	if (!productIds.length) return new Set();
	if (productIds.length === 1) return new Set((await giftCardProduct(db, productIds[0])).rows.map((r) => r.id));
	const rows = await db
		.selectFrom('product')
		.select('id')
		.where('id', 'in', [...productIds])
		.where('is_giftcard', '=', 1)
		.execute();
	return new Set(rows.map((r) => r.id));
}

/** How many cards an order line has issued already (a repeated payment event issues nothing more). */
export async function countGiftCardsOfLine(db: Db, orderLineId: string): Promise<number> {
	const row = await db
		.selectFrom('gift_card')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('order_line_id', '=', orderLineId)
		.executeTakeFirst();
	return Number(row?.n ?? 0);
}
