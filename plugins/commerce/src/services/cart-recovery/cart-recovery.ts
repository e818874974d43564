import { abandonedWindow, signRecoveryToken, verifyRecoveryToken } from '../../core/cart-recovery/tokens.ts';
import { notFound } from '../../core/errors.ts';
import type { CommerceDb } from '../../db/client.ts';
import {
	addEmailOptOut,
	CART_REMINDERS,
	type CartRecoveryStats,
	cartRecoveryStats,
	findAbandonedCarts,
	findCartRecovery,
	hasOrderedOrOptedOut,
	insertCartRecovery,
	listCartRecoveries,
	markCartRecoverySent,
	markCartRecoverySkipped,
	markCartRestored,
} from '../../db/repositories/cart-recovery-repository.ts';
import { findCart, loadCartLines } from '../../db/repositories/cart-repository.ts';
import { enqueueOutbox } from '../../db/repositories/outbox-repository.ts';
import { writeTransaction } from '../../db/transaction.ts';
import { cartReminderEmail, type Mailer } from '../../email/index.ts';
import { logger } from '../../log/logger.ts';
import { parseInterval } from '../../ops/schedule.ts';
import type { ResolvedOptions } from '../../options.ts';
import { emailShopOf } from '../email-shop.ts';
import { configuredOrigin } from '../outbox/configured-origin.ts';
import type { OutboxHandler } from '../outbox/outbox-drainer.ts';

// Abandoned-cart recovery (issue 14): a pass finds carts with an email and items left alone for `afterHours`, records
// one reminder per cart (primary key) and queues it in the outbox in the same transaction. The outbox handler renders
// the email when it sends it — checking again that the shopper has not ordered or unsubscribed meanwhile — so the
// signed restore link never rests in the database and a retry renders the same content.

/** The outbox kind of a reminder: its payload is `{ cartId }`. */
export const CART_REMINDER_KIND = 'cart_reminder';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface CartRecoverySettings {
	enabled: boolean;
	/** A cart untouched this long is abandoned. */
	afterMs: number;
	/** Older carts are left alone (a pass never mails a cart abandoned long ago). */
	lookbackMs: number;
	/** How long a restore link works. */
	linkValidMs: number;
	/** How often the server looks for abandoned carts. */
	intervalMs: number;
}

/**
 * The options' `abandonedCarts`, with `COMMERCE_CART_RECOVERY_AFTER` (a duration: `4h`, `30m`, `2s`) and
 * `COMMERCE_CART_RECOVERY_INTERVAL` (`15m`; `off` stops the schedule) winning at run time.
 */
export function cartRecoverySettings(
	options: Pick<ResolvedOptions, 'abandonedCarts'>,
	env: NodeJS.ProcessEnv = process.env,
): CartRecoverySettings {
	const o = options.abandonedCarts;
	const after = safeInterval(env.COMMERCE_CART_RECOVERY_AFTER) ?? o.afterHours * HOUR;
	const intervalText = env.COMMERCE_CART_RECOVERY_INTERVAL?.trim().toLowerCase();
	const interval = intervalText === 'off' ? null : (safeInterval(intervalText) ?? 15 * 60_000);
	return {
		enabled: o.enabled && interval !== null,
		afterMs: after,
		lookbackMs: o.lookbackDays * DAY,
		linkValidMs: o.linkValidDays * DAY,
		intervalMs: interval ?? 0,
	};
}

function safeInterval(text: string | undefined): number | null {
	try {
		return parseInterval(text);
	} catch {
		logger().warn(`[commerce] "${text}" is not a duration (e.g. 4h, 30m); the option's value is used`);
		return null;
	}
}

/** Finds abandoned carts as of `now` and queues one reminder for each; returns how many were queued. */
export async function queueCartReminders(
	db: CommerceDb,
	settings: CartRecoverySettings,
	now = new Date(),
	limit = 200,
): Promise<number> {
	const window = abandonedWindow(now, settings.afterMs, settings.lookbackMs);
	const carts = await findAbandonedCarts(db, window, limit);
	const at = now.toISOString();
	let queued = 0;
	for (const cart of carts) {
		const inserted = await writeTransaction(db, async (trx) => {
			// Ordered since, or unsubscribed: recorded as skipped (the admin sees why), never looked at again.
			const blocked = await hasOrderedOrOptedOut(trx, cart.id, cart.email);
			if (blocked) {
				await insertCartRecovery(trx, cart.id, cart.email, at, blocked);
				return false;
			}
			if (!(await insertCartRecovery(trx, cart.id, cart.email, at))) return false;
			await enqueueOutbox(
				trx,
				{ kind: CART_REMINDER_KIND, payload: { cartId: cart.id }, dedupeKey: `cart_reminder:${cart.id}` },
				at,
			);
			return true;
		});
		if (inserted) queued++;
	}
	if (queued) logger().info({ queued }, '[commerce] abandoned-cart reminders queued');
	return queued;
}

export interface CartReminderDeps {
	db: CommerceDb;
	mailer: Mailer;
	options: ResolvedOptions;
	secret: string;
	settings: CartRecoverySettings;
	env?: NodeJS.ProcessEnv;
}

/** The drainer's handler for reminders: checks again, renders with fresh signed links, sends, records it. */
export function cartReminderHandler(deps: CartReminderDeps): OutboxHandler {
	return async (payload) => {
		const cartId = (payload as { cartId?: unknown } | null)?.cartId;
		if (typeof cartId !== 'string') throw new Error('The cart reminder payload has no cart id.');
		const recovery = await findCartRecovery(deps.db, cartId);
		const cart = await findCart(deps.db, cartId);
		if (!recovery || !cart) return;
		if (recovery.status !== 'queued') return;
		const skip = async (reason: string) => {
			await markCartRecoverySkipped(deps.db, cartId, reason);
			logger().info({ cartId, reason }, '[commerce] abandoned-cart reminder not sent');
		};
		if (cart.completed_at) return skip('ordered');
		const blocked = await hasOrderedOrOptedOut(deps.db, cartId, recovery.email);
		if (blocked) return skip(blocked);
		const lines = await loadCartLines(deps.db, cartId, cart.currency_code);
		if (!lines.length) return skip('empty');
		const origin = configuredOrigin(deps.options, deps.env);
		if (!origin) throw new Error('No public origin for the reminder links: set siteUrl, site or COMMERCE_PUBLIC_URL.');
		const now = Date.now();
		const restore = signRecoveryToken(
			{ kind: 'restore', cartId, exp: Math.floor((now + deps.settings.linkValidMs) / 1000) },
			deps.secret,
		);
		const unsubscribe = signRecoveryToken({ kind: 'unsubscribe', email: recovery.email }, deps.secret);
		const link = (path: string, token: string) => {
			const url = new URL(`${deps.options.paths.store}/cart-recovery/${path}`, origin);
			url.searchParams.set('token', token);
			return url.href;
		};
		const message = cartReminderEmail({
			shopName: deps.options.storeName,
			shop: emailShopOf(deps.options, origin),
			currency: cart.currency_code,
			items: lines.map((l) => ({
				title: l.productTitle,
				variantTitle: l.variantTitle,
				quantity: l.quantity,
				unitPrice: l.unitPrice,
			})),
			restoreUrl: link('restore', restore),
			unsubscribeUrl: link('unsubscribe', unsubscribe),
			validDays: Math.max(1, Math.round(deps.settings.linkValidMs / DAY)),
		});
		await deps.mailer.send({ to: recovery.email, ...message });
		await markCartRecoverySent(deps.db, cartId, new Date().toISOString());
	};
}

/**
 * The restore link: which cart it reopens and whether that cart belongs to a customer (who must sign in to see it).
 * Expired or forged links, and carts already ordered or pruned, are 404 with a code saying which.
 */
export async function restoreCartFromLink(
	db: CommerceDb,
	secret: string,
	token: string,
	now = new Date(),
): Promise<{ cartId: string; customerOwned: boolean }> {
	const verified = verifyRecoveryToken(token, 'restore', secret, now);
	if (!verified.ok) {
		if (verified.reason === 'expired')
			throw notFound(
				'This cart link has expired. Your items may still be in the shop: add them again.',
				'link_expired',
			);
		throw notFound('This cart link is not valid.');
	}
	const cart = await findCart(db, verified.link.cartId);
	if (!cart) throw notFound('This cart is no longer kept. Add the items again.', 'cart_gone');
	if (cart.completed_at) throw notFound('This cart was already ordered.', 'cart_completed');
	await markCartRestored(db, cart.id, now.toISOString());
	return { cartId: cart.id, customerOwned: Boolean(cart.customer_id) };
}

/** The unsubscribe link: the address gets no more reminders. Returns the address. */
export async function unsubscribeFromLink(db: CommerceDb, secret: string, token: string, now = new Date()) {
	const verified = verifyRecoveryToken(token, 'unsubscribe', secret, now);
	if (!verified.ok) throw notFound('This unsubscribe link is not valid.');
	await addEmailOptOut(db, verified.link.email, CART_REMINDERS, now.toISOString());
	return verified.link.email;
}

/** The admin's view: counts (all time and since `since`) and the latest reminders. */
export async function cartRecoveryOverview(db: CommerceDb, opts: { limit: number; offset: number }) {
	const [stats, reminders] = await Promise.all([cartRecoveryStats(db), listCartRecoveries(db, opts)]);
	return { stats, reminders };
}

export type { CartRecoveryStats };
