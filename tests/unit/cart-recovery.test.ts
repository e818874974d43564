import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productSchema } from '../../plugins/commerce/src/content/product-schema.ts';
import {
	abandonedWindow,
	recoveryRate,
	signRecoveryToken,
	verifyRecoveryToken,
} from '../../plugins/commerce/src/core/cart-recovery/tokens.ts';
import { type CommerceDb, openDatabase } from '../../plugins/commerce/src/db/client.ts';
import { migrateToLatest } from '../../plugins/commerce/src/db/migrate.ts';
import {
	addEmailOptOut,
	findAbandonedCarts,
	hasOrderedOrOptedOut,
} from '../../plugins/commerce/src/db/repositories/cart-recovery-repository.ts';
import { parseOptions } from '../../plugins/commerce/src/options.ts';
import { cartRecoverySettings } from '../../plugins/commerce/src/services/cart-recovery/cart-recovery.ts';
import { syncCatalog } from '../../plugins/commerce/src/services/catalog-sync.ts';

// The pure parts of abandoned-cart recovery (signed links, the window, settings) and which carts count as abandoned,
// against a real in-memory SQLite database.

const SECRET = 'unit-secret';
const NOW = new Date('2026-12-01T12:00:00.000Z');

describe('recovery links', () => {
	it('restore links verify until they expire and not after', () => {
		const exp = Math.floor(NOW.getTime() / 1000) + 60;
		const token = signRecoveryToken({ kind: 'restore', cartId: 'cart_1', exp }, SECRET);
		expect(verifyRecoveryToken(token, 'restore', SECRET, NOW)).toEqual({
			ok: true,
			link: { kind: 'restore', cartId: 'cart_1', exp },
		});
		expect(verifyRecoveryToken(token, 'restore', SECRET, new Date(NOW.getTime() + 61_000))).toEqual({
			ok: false,
			reason: 'expired',
		});
	});

	it('refuses another secret, an edited payload, the wrong kind and garbage', () => {
		const token = signRecoveryToken({ kind: 'unsubscribe', email: 'a@example.com' }, SECRET);
		expect(verifyRecoveryToken(token, 'unsubscribe', SECRET).ok).toBe(true);
		expect(verifyRecoveryToken(token, 'unsubscribe', 'other-secret').ok).toBe(false);
		expect(verifyRecoveryToken(token, 'restore', SECRET).ok).toBe(false);
		const [, signature] = token.split('.');
		const edited = `${Buffer.from(JSON.stringify({ kind: 'unsubscribe', email: 'b@example.com' })).toString('base64url')}.${signature}`;
		expect(verifyRecoveryToken(edited, 'unsubscribe', SECRET).ok).toBe(false);
		for (const bad of ['', 'x', 'a.b.c', `${token}.x`])
			expect(verifyRecoveryToken(bad, 'unsubscribe', SECRET).ok).toBe(false);
	});

	it('the window, the rate and the settings', () => {
		expect(abandonedWindow(NOW, 4 * 3_600_000, 24 * 3_600_000)).toEqual({
			from: '2026-11-30T08:00:00.000Z',
			to: '2026-12-01T08:00:00.000Z',
		});
		expect(recoveryRate(0, 0)).toBe(0);
		expect(recoveryRate(4, 1)).toBe(0.25);
		const parsed = parseOptions({});
		if (!parsed.ok) throw new Error(parsed.message);
		expect(cartRecoverySettings(parsed.options, {})).toMatchObject({
			enabled: true,
			afterMs: 4 * 3_600_000,
			intervalMs: 15 * 60_000,
		});
		expect(
			cartRecoverySettings(parsed.options, {
				COMMERCE_CART_RECOVERY_AFTER: '30m',
				COMMERCE_CART_RECOVERY_INTERVAL: 'off',
			}),
		).toMatchObject({ enabled: false, afterMs: 30 * 60_000 });
	});
});

describe('which carts are abandoned', () => {
	let db: CommerceDb;
	let variant: string;
	const ago = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();

	beforeAll(async () => {
		db = openDatabase(':memory:');
		await migrateToLatest(db);
		const data = productSchema.parse({
			title: 'Mug',
			category: 'Kitchen',
			images: [{ src: '/mug.svg', alt: 'A mug' }],
			variants: [{ sku: 'MUG-1', prices: { usd: 10 }, stock: 50 }],
		});
		await syncCatalog(db, [{ ...data, handle: 'mug', description: '' }]);
		variant = (await db.selectFrom('product_variant').select('id').executeTakeFirstOrThrow()).id;
	});
	afterAll(async () => db?.destroy());

	async function cart(
		id: string,
		opts: { email?: string | null; hoursAgo: number; items?: boolean; completed?: boolean },
	) {
		const at = ago(opts.hoursAgo);
		await db
			.insertInto('cart')
			.values({
				id,
				region_id: 'reg_us',
				currency_code: 'usd',
				email: opts.email === undefined ? 'shopper@example.com' : opts.email,
				completed_at: opts.completed ? at : null,
				created_at: at,
				updated_at: at,
			} as never)
			.execute();
		if (opts.items !== false)
			await db
				.insertInto('line_item')
				.values({
					id: `li_${id}`,
					cart_id: id,
					variant_id: variant,
					quantity: 1,
					created_at: at,
					updated_at: at,
				} as never)
				.execute();
	}

	it('takes carts with an email and items in the window, and tells which addresses must not be reminded', async () => {
		await cart('cart_yes', { hoursAgo: 5, email: 'Shopper@Example.com' });
		await cart('cart_too_recent', { hoursAgo: 1 });
		await cart('cart_too_old', { hoursAgo: 24 * 30 });
		await cart('cart_no_email', { hoursAgo: 5, email: null });
		await cart('cart_empty', { hoursAgo: 5, items: false });
		await cart('cart_completed', { hoursAgo: 5, completed: true });
		await cart('cart_opted_out', { hoursAgo: 5, email: 'quiet@example.com' });
		await addEmailOptOut(db, 'quiet@example.com', 'cart_reminders', NOW.toISOString());
		const found = await findAbandonedCarts(db, abandonedWindow(NOW, 4 * 3_600_000, 7 * 24 * 3_600_000), 50);
		expect(found.map((c) => c.id).sort()).toEqual(['cart_opted_out', 'cart_yes']);
		expect(found.find((c) => c.id === 'cart_yes')?.email).toBe('shopper@example.com');
		expect(await hasOrderedOrOptedOut(db, 'cart_opted_out', 'quiet@example.com')).toBe('unsubscribed');
		expect(await hasOrderedOrOptedOut(db, 'cart_gone', 'x@example.com')).toBe('cart_deleted');
		expect(await hasOrderedOrOptedOut(db, 'cart_yes', 'shopper@example.com')).toBeNull();
	});
});
