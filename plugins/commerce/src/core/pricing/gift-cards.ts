/**
 * Gift cards pay what is left after discounts, shipping and tax (Medusa v1 with `gift_cards_taxable: false`): they are
 * money, not a discount, so tax is computed before them and `gift_card_tax_total` is 0. Cards are drawn in the order
 * they were applied until the total is covered; a card is drawn only as far as needed.
 */

export interface PricingGiftCard {
	id: string;
	/** What the card still holds, in the cart's minor units. */
	balance: number;
}

export interface GiftCardDraw {
	id: string;
	amount: number;
}

export function applyGiftCards(
	total: number,
	cards: readonly PricingGiftCard[],
): { giftCardTotal: number; draws: GiftCardDraw[] } {
	let left = Math.max(0, total);
	const draws: GiftCardDraw[] = [];
	for (const card of cards) {
		if (!Number.isSafeInteger(card.balance) || card.balance < 0)
			throw new RangeError(`gift card ${card.id}: balance must be a non-negative integer`);
		const amount = Math.min(left, card.balance);
		if (amount > 0) draws.push({ id: card.id, amount });
		left -= amount;
	}
	return { giftCardTotal: Math.max(0, total) - left, draws };
}
