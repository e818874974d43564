import type { OrderDetail } from '../../core/orders/index.ts';
import type { CommerceDb } from '../../db/client.ts';
import {
	findOrderIdByCart as findIdByCart,
	findOrderIdByDisplayId as findIdByDisplayId,
	findOrderDetail,
} from '../../db/repositories/order-repository.ts';

// What routes and pages read about orders; they never reach into db/ themselves.

/** One order with lines, payment, discounts, events and addresses; null when it does not exist. */
export function getOrderDetail(db: CommerceDb, orderId: string): Promise<OrderDetail | null> {
	return findOrderDetail(db, orderId);
}

/** The order a cart became, if it was completed. */
export function findOrderIdByCart(db: CommerceDb, cartId: string): Promise<string | undefined> {
	return findIdByCart(db, cartId);
}

/** The guest lookup's first step: the order with this number and email (lower-cased), if any. */
export function findOrderIdByDisplayId(db: CommerceDb, displayId: number, email: string): Promise<string | undefined> {
	return findIdByDisplayId(db, displayId, email);
}
