import { MAX_LINE_QUANTITY } from '../../core/cart-limits.ts';
import {
	deleteCart,
	findCart,
	findPurchasableVariant,
	insertLine,
	listCartDiscountIds,
	listLines,
	setCartDiscounts,
	setLineQuantity,
	updateCartRow,
} from '../../db/repositories/cart-repository.ts';
import { type Customer, findLatestOpenCartId } from '../../db/repositories/customer-repository.ts';
import { hasPaymentInProgress } from '../../db/repositories/payment-session-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import { rollCart } from '../analytics/rollups.ts';
import type { CartDeps } from '../cart/cart-service.ts';

/**
 * The cart a customer continues with after login or registration, merging the browser's guest cart:
 * - the guest cart (`cart_id` of the login body) counts only when it is open and anonymous; a cart of another
 *   customer, a completed cart, or one whose payment is already authorized or awaiting the shopper is left alone;
 * - no open cart of the customer yet → the guest cart is attached to the customer (customer id and email);
 * - otherwise its lines move into the customer's most recently updated open cart: quantities of the same variant
 *   add up, capped by the stock available now (never below what the customer's cart already held) and by
 *   `MAX_LINE_QUANTITY`; variants no longer sold are dropped; the guest's codes are kept only if the customer's cart has none; the guest
 *   cart is then deleted, so its id answers 404 and storefronts move on.
 * Returns the id of the cart to use (null when the customer has none), which login answers as `cart_id`.
 */
export async function adoptGuestCart(
	deps: CartDeps,
	customer: Customer,
	guestCartId: string | undefined,
): Promise<string | null> {
	const at = (deps.now?.() ?? new Date()).toISOString();
	return writeTransaction(deps.db, async (trx) => {
		const latest = await findLatestOpenCartId(trx, customer.id);
		const guest = guestCartId ? await findCart(trx, guestCartId) : undefined;
		if (!guest || guest.completed_at || guest.customer_id !== null) return latest ?? null;
		if (await hasPaymentInProgress(trx, guest.id)) return latest ?? null;
		if (!latest) {
			await updateCartRow(trx, guest.id, { customer_id: customer.id, email: customer.email }, at);
			return guest.id;
		}
		const target = await findCart(trx, latest);
		if (!target) return latest;
		const [guestLines, targetLines] = await Promise.all([listLines(trx, guest.id), listLines(trx, target.id)]);
		for (const line of guestLines) {
			const variant = await findPurchasableVariant(trx, line.variantId, target.currency_code);
			if (!variant) continue;
			const available = Math.max(0, variant.available);
			const existing = targetLines.find((l) => l.variantId === line.variantId);
			const held = existing?.quantity ?? 0;
			const quantity = Math.max(held, Math.min(held + line.quantity, available, MAX_LINE_QUANTITY));
			if (existing && quantity !== held) await setLineQuantity(trx, existing.id, quantity, at);
			if (!existing && quantity > 0) await insertLine(trx, target.id, line.variantId, quantity, line.metadata, at);
		}
		if (!(await listCartDiscountIds(trx, target.id)).length) {
			await setCartDiscounts(trx, target.id, await listCartDiscountIds(trx, guest.id));
		}
		// The guest cart's addresses were its own copies (never shared), so they go with it.
		await deleteCart(trx, guest);
		await updateCartRow(trx, target.id, {}, at);
		await rollCart(trx, guest.id);
		await rollCart(trx, target.id);
		return target.id;
	});
}
