import type { Kysely } from 'kysely';
import type { Order, OrderLine } from '../core/orders/index.ts';
import type { CommerceDb } from '../db/client.ts';
import {
	countGiftCardsOfLine,
	disableGiftCardsOfOrder,
	findGiftCardById,
	giftCardProductIds,
	insertGiftCard,
} from '../db/repositories/gift-card-repository.ts';
import { findOrderDetail } from '../db/repositories/order-repository.ts';
import { enqueueOutbox } from '../db/repositories/outbox-repository.ts';
import type { Database } from '../db/types.ts';
import { giftCardDeliveryEmail, type Mailer } from '../email/index.ts';
import type { ResolvedOptions } from '../options.ts';
import { emailShopOf } from './email-shop.ts';
import { newGiftCardCode } from './gift-cards.ts';
import { configuredOrigin } from './outbox/configured-origin.ts';
import type { OutboxHandler } from './outbox/outbox-drainer.ts';

// Gift cards sold as a product (issue 15): when an order with gift-card lines is paid — at placement with automatic
// capture, or when the merchant captures — the order writer calls `issuePurchasedGiftCards` in its transaction: one
// card per unit, worth the line's unit price in the order's currency, and one outbox message per card. The email with
// the code is rendered when the outbox delivers it, so the code (a bearer secret) never rests in the outbox.

/** The outbox kind of a purchased card's email: its payload is `{ giftCardId }`. */
export const GIFT_CARD_DELIVERY_KIND = 'gift_card_delivery';

/** Issues the cards a paid order bought (idempotent per line: a repeated call issues nothing more). */
export async function issuePurchasedGiftCards(
	trx: Kysely<Database>,
	order: Pick<Order, 'id' | 'currencyCode'>,
	lines: readonly OrderLine[],
	at: string,
): Promise<number> {
	const giftCardProducts = await giftCardProductIds(trx, [...new Set(lines.map((l) => l.productId))]);
	let issued = 0;
	for (const line of lines) {
		if (!giftCardProducts.has(line.productId) || line.unitPrice <= 0) continue;
		const missing = line.quantity - (await countGiftCardsOfLine(trx, line.id));
		for (let i = 0; i < missing; i++) {
			const id = await insertGiftCard(
				trx,
				{
					code: newGiftCardCode(),
					value: line.unitPrice,
					currencyCode: order.currencyCode,
					endsAt: null,
					note: `Bought with order ${order.id}`,
					createdBy: 'checkout',
					purchase: { orderId: order.id, orderLineId: line.id },
				},
				at,
			);
			await enqueueOutbox(
				trx,
				{ kind: GIFT_CARD_DELIVERY_KIND, payload: { giftCardId: id }, dedupeKey: `gift_card_delivery:${id}` },
				at,
			);
			issued++;
		}
	}
	return issued;
}

/**
 * Inside the order's transaction when it is canceled or fully refunded: the cards it bought stop working (the money
 * that paid for them went back). What was already spent from them stays spent; the admin lists them as disabled.
 */
export const disablePurchasedGiftCards = (trx: Kysely<Database>, orderId: string, at: string): Promise<number> =>
	disableGiftCardsOfOrder(trx, orderId, at);

/** Whom a gift-card line is for: Medusa-style line-item metadata, checked by the Store API when the line was added. */
export interface GiftRecipient {
	email: string;
	name: string | null;
	message: string | null;
}

/** The recipient a line's metadata names (`recipient_email`, optional `recipient_name` and `message`), or null. */
export function giftRecipientOf(metadata: string | null): GiftRecipient | null {
	if (!metadata) return null;
	let value: Record<string, unknown>;
	try {
		value = JSON.parse(metadata) as Record<string, unknown>;
	} catch {
		return null;
	}
	const text = (key: string) => (typeof value?.[key] === 'string' && value[key].trim() ? value[key].trim() : null);
	const email = text('recipient_email');
	return email ? { email, name: text('recipient_name'), message: text('message') } : null;
}

/**
 * The drainer's handler: emails a purchased card's code to the recipient its order line names, else to the address on
 * the order that bought it.
 */
export function giftCardDeliveryHandler(deps: {
	db: CommerceDb;
	mailer: Mailer;
	options: ResolvedOptions;
	env?: NodeJS.ProcessEnv;
}): OutboxHandler {
	return async (payload) => {
		const giftCardId = (payload as { giftCardId?: unknown } | null)?.giftCardId;
		if (typeof giftCardId !== 'string') throw new Error('The gift card delivery payload has no card id.');
		const card = await findGiftCardById(deps.db, giftCardId);
		const order = card?.orderId ? await findOrderDetail(deps.db, card.orderId) : null;
		if (!card || !order) return;
		const line = order.lines.find((l) => l.id === card.orderLineId);
		const recipient = giftRecipientOf(line?.metadata ?? null);
		const origin = configuredOrigin(deps.options, deps.env);
		const message = giftCardDeliveryEmail({
			shopName: deps.options.storeName,
			code: card.code,
			value: card.value,
			currency: card.currencyCode,
			orderDisplayId: order.order.displayId,
			endsAt: card.endsAt,
			shopUrl: origin ? new URL(deps.options.paths.catalog, origin).href : null,
			gift: recipient ? { name: recipient.name, message: recipient.message } : undefined,
			shop: emailShopOf(deps.options, origin ?? undefined),
		});
		await deps.mailer.send({ to: recipient?.email ?? order.order.email, ...message });
	};
}
