import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { invalid, notFound } from '../../core/errors.ts';
import type { CommerceDb } from '../../db/client.ts';
import { newId } from '../../db/ids.ts';
import { enqueueOutbox } from '../../db/repositories/outbox-repository.ts';
import {
	findAlertById,
	findAlertByToken,
	findOpenAlert,
	insertAlert,
	listAlertsOfVariant,
	listConfirmedAlerts,
	replaceAlertToken,
	type StockAlert,
	setAlertStatus,
} from '../../db/repositories/stock-alert-repository.ts';
import { findStockLevel } from '../../db/repositories/stock-repository.ts';
import type { Database } from '../../db/types.ts';
import { backInStockEmail, type Mailer, stockAlertConfirmEmail } from '../../email/index.ts';
import { logger } from '../../log/logger.ts';
import type { ResolvedOptions } from '../../options.ts';
import { emailShopOf } from '../email-shop.ts';
import type { OutboxHandler } from '../outbox/outbox-drainer.ts';

// Back-in-stock alerts: request (no account needed) → confirmation email (double opt-in) → confirmed → the restock
// that makes the variant available again queues one email per confirmed address, in the stock move's transaction.
// The stock move knows no options, so the email is queued as `{ alertId }` and rendered at delivery by
// `backInStockHandler`, with the shop's name, colour and footer from the options like every other email.

/** The outbox kind of a back-in-stock email: its payload is `{ alertId }`. */
export const BACK_IN_STOCK_KIND = 'back_in_stock';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface StockAlertDeps {
	db: CommerceDb;
	mailer: Mailer;
	options: ResolvedOptions;
}

/**
 * Asks for an alert on a sold-out variant. A new or still-pending request gets a (new) confirmation link by email,
 * sent directly (the token never rests in the outbox); an already confirmed one answers as such without an email.
 */
export async function requestStockAlert(
	deps: StockAlertDeps,
	input: { variantId: string; email: string; origin: string },
): Promise<{ status: 'pending' | 'confirmed' }> {
	const email = input.email.toLowerCase();
	const level = await findStockLevel(deps.db, input.variantId);
	if (!level) throw notFound(`Variant with id ${input.variantId} was not found`);
	if (level.stocked - level.reserved > 0)
		throw invalid('This variant is in stock: add it to the cart instead.', 'variant_in_stock');
	const open = await findOpenAlert(deps.db, input.variantId, email);
	if (open?.status === 'confirmed') return { status: 'confirmed' };
	const token = randomBytes(32).toString('base64url');
	if (open) await replaceAlertToken(deps.db, open.id, hashToken(token));
	else
		await insertAlert(
			deps.db,
			{
				id: newId('salert'),
				variantId: input.variantId,
				email,
				status: 'pending',
				origin: input.origin,
				shopName: deps.options.storeName,
				createdAt: new Date().toISOString(),
				confirmedAt: null,
				notifiedAt: null,
			},
			hashToken(token),
		);
	const confirmUrl = new URL(`${deps.options.storeBasePath}/stock-alerts/confirm`, input.origin);
	confirmUrl.searchParams.set('token', token);
	const message = stockAlertConfirmEmail({
		shopName: deps.options.storeName,
		shop: emailShopOf(deps.options, input.origin),
		productTitle: level.productTitle,
		variantTitle: level.variantTitle,
		confirmUrl: confirmUrl.href,
	});
	deps.mailer
		.send({ to: email, ...message })
		.catch((error: unknown) =>
			logger().error({ err: error }, '[commerce] the stock alert confirmation could not be sent'),
		);
	return { status: 'pending' };
}

/** The confirmation click: pending → confirmed (a repeated click is fine); an unknown token is 404. */
export async function confirmStockAlert(db: CommerceDb, token: string): Promise<StockAlert> {
	const alert = await findAlertByToken(db, hashToken(token));
	if (!alert || alert.status === 'canceled')
		throw notFound('This confirmation link is not valid any more. Ask for the alert again on the product page.');
	if (alert.status === 'pending') {
		const at = new Date().toISOString();
		await setAlertStatus(db, alert.id, 'confirmed', at);
		return { ...alert, status: 'confirmed', confirmedAt: at };
	}
	return alert;
}

/** Every request for a variant (admin). */
export function stockAlertsOfVariant(db: CommerceDb, variantId: string): Promise<StockAlert[]> {
	return listAlertsOfVariant(db, variantId);
}

/**
 * Called by `moveStock` inside its transaction: when available stock goes from none to some, queue one email per
 * confirmed request (outbox, deduplicated by request) and mark each notified, so an address hears about it once.
 */
export async function queueBackInStockIfRestocked(
	trx: Kysely<Database>,
	variantId: string,
	before: number,
	after: number,
	at: string,
): Promise<number> {
	if (after <= before) return 0;
	const alerts = await listConfirmedAlerts(trx, variantId);
	if (!alerts.length) return 0;
	const level = await findStockLevel(trx, variantId);
	if (!level || before - level.reserved > 0 || after - level.reserved <= 0) return 0;
	for (const alert of alerts) {
		await enqueueOutbox(
			trx,
			{ kind: BACK_IN_STOCK_KIND, payload: { alertId: alert.id }, dedupeKey: `stock_alert:${alert.id}` },
			at,
		);
		await setAlertStatus(trx, alert.id, 'notified', at);
	}
	return alerts.length;
}

/**
 * The drainer's handler for back-in-stock emails: renders the alert's email with the current product titles and the
 * shop's footer (`emailShopOf`, against the origin the shopper asked from) and sends it. A request canceled (or
 * erased) since it was queued gets nothing.
 */
export function backInStockHandler(deps: StockAlertDeps): OutboxHandler {
	return async (payload) => {
		const alertId = (payload as { alertId?: unknown } | null)?.alertId;
		if (typeof alertId !== 'string') throw new Error('The back-in-stock payload has no alert id.');
		const alert = await findAlertById(deps.db, alertId);
		if (alert?.status !== 'notified') return;
		const level = await findStockLevel(deps.db, alert.variantId);
		if (!level) return;
		const message = backInStockEmail({
			shopName: deps.options.storeName,
			shop: emailShopOf(deps.options, alert.origin),
			productTitle: level.productTitle,
			variantTitle: level.variantTitle,
			productUrl: new URL(`${deps.options.paths.product}${level.productHandle}/`, alert.origin).href,
		});
		await deps.mailer.send({ to: alert.email, ...message });
	};
}
