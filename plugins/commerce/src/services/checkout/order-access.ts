import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long anyone holding an order id may read it after completion (the confirmation page Medusa storefronts use). */
export const CONFIRMATION_WINDOW_MS = 60 * 60 * 1000;
export const ORDER_ACCESS_COOKIE = 'commerce_order_access';
const MAX_ORDERS_IN_COOKIE = 10;

const sign = (secret: string, orderId: string) =>
	createHmac('sha256', secret).update(`order-access:${orderId}`).digest('base64url').slice(0, 32);

/** The cookie value after adding an order: signed ids, newest first, at most ten. */
export function grantOrderAccess(secret: string, cookieValue: string | undefined, orderId: string): string {
	const kept = (cookieValue ?? '').split('~').filter((entry) => entry && !entry.startsWith(`${orderId}.`));
	return [`${orderId}.${sign(secret, orderId)}`, ...kept].slice(0, MAX_ORDERS_IN_COOKIE).join('~');
}

/** True when the cookie carries a valid signature for this order (the browser that completed it). */
export function hasOrderAccess(secret: string, cookieValue: string | undefined, orderId: string): boolean {
	const expected = Buffer.from(sign(secret, orderId));
	return (cookieValue ?? '').split('~').some((entry) => {
		const [id, signature] = entry.split('.');
		if (id !== orderId || !signature) return false;
		const given = Buffer.from(signature);
		return given.length === expected.length && timingSafeEqual(given, expected);
	});
}

/** Anyone holding the id may read the order during the confirmation window, nobody without a grant after it. */
export function withinConfirmationWindow(createdAt: string, now = new Date()): boolean {
	return now.getTime() - new Date(createdAt).getTime() <= CONFIRMATION_WINDOW_MS;
}
