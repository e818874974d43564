import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { conflict, duplicate, invalid, notFound } from '../core/errors.ts';
import type { GiftCardDraw } from '../core/pricing/index.ts';
import {
	drawGiftCard,
	findGiftCardByCode,
	findGiftCardById,
	type GiftCard,
	type GiftCardUse,
	insertGiftCard,
	listGiftCards,
	listGiftCardUses,
	restoreOrderDraws,
	setGiftCardDisabled,
} from '../db/repositories/gift-card-repository.ts';
import { writeTransaction } from '../db/transaction.ts';
import type { Database } from '../db/types.ts';

// The one owner of gift card balances: issued by the merchant, drawn when an order is placed (inside checkout's
// transaction), given back when the order is canceled. Carts only reference cards (services/cart).

type Db = Kysely<Database>;

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** `XXXX-XXXX-XXXX-XXXX` from an alphabet without look-alikes (0/O, 1/I): 80 random bits, not guessable. */
export function newGiftCardCode(): string {
	const bytes = randomBytes(16);
	let code = '';
	for (let i = 0; i < 16; i++) {
		if (i && i % 4 === 0) code += '-';
		code += ALPHABET[bytes[i] % ALPHABET.length];
	}
	return code;
}

export interface GiftCardIssue {
	value: number;
	currencyCode: string;
	/** Optional own code (upper-cased); a random one otherwise. */
	code?: string;
	endsAt?: string | null;
	note?: string | null;
}

/** Issues a card with its full value as balance; a code already in use is a 422. */
export async function issueGiftCard(db: Db, input: GiftCardIssue, actor: string, now = new Date()): Promise<GiftCard> {
	const code = (input.code ?? newGiftCardCode()).trim().toUpperCase();
	if (input.endsAt && new Date(input.endsAt) <= now)
		throw invalid('ends_at is in the past: choose a future date or leave it empty.', 'gift_card_expired');
	const id = await writeTransaction(db, async (trx) => {
		if (await findGiftCardByCode(trx, code))
			throw duplicate(`A gift card with the code ${code} already exists. Choose another code.`, 'gift_card_exists');
		return insertGiftCard(
			trx,
			{
				code,
				value: input.value,
				currencyCode: input.currencyCode.toLowerCase(),
				endsAt: input.endsAt ?? null,
				note: input.note ?? null,
				createdBy: actor,
			},
			now.toISOString(),
		);
	});
	return (await findGiftCardById(db, id))!;
}

export async function giftCardDetail(db: Db, id: string): Promise<{ card: GiftCard; uses: GiftCardUse[] }> {
	const card = await findGiftCardById(db, id);
	if (!card) throw notFound(`Gift card ${id} was not found`);
	return { card, uses: await listGiftCardUses(db, id) };
}

export async function disableGiftCard(db: Db, id: string, disabled: boolean, now = new Date()) {
	await writeTransaction(db, async (trx) => {
		if (!(await findGiftCardById(trx, id))) throw notFound(`Gift card ${id} was not found`);
		await setGiftCardDisabled(trx, id, disabled, now.toISOString());
	});
	return giftCardDetail(db, id);
}

/** A card a shopper holds the code of (Store API `GET /gift-cards/:code`); disabled cards are not shown. */
export async function findShopperGiftCard(db: Db, code: string): Promise<GiftCard> {
	const card = await findGiftCardByCode(db, code);
	if (!card || card.isDisabled) throw notFound(`Gift card with code ${code} was not found`);
	return card;
}

export const listIssuedGiftCards = (db: Db, opts: { limit: number; offset: number }) => listGiftCards(db, opts);

/** Inside the order's transaction: takes each card's share; a card spent meanwhile refuses the whole order. */
export async function drawGiftCardsForOrder(
	trx: Db,
	orderId: string,
	draws: readonly GiftCardDraw[],
	at: string,
): Promise<void> {
	for (const draw of draws) {
		if (!(await drawGiftCard(trx, draw.id, draw.amount, orderId, at))) {
			throw conflict(
				'A gift card on the cart was just used for another order. Review the cart and place the order again; you were not charged.',
				'gift_card_balance_changed',
			);
		}
	}
}

/** Inside the cancellation's transaction: what the order took from gift cards goes back to them. */
export const restoreGiftCardsOfOrder = (trx: Db, orderId: string, at: string) => restoreOrderDraws(trx, orderId, at);
