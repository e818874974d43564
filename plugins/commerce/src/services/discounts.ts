import type { DiscountRules } from '../core/discount-input.ts';
import { duplicate, invalid, notFound } from '../core/errors.ts';
import type { CommerceDb } from '../db/client.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { findHandlesByIds, findIdsByHandles, type HandleKind } from '../db/repositories/catalog-repository.ts';
import {
	type Discount,
	type DiscountFields,
	type DiscountWithUsage,
	disableDiscountRow,
	findDiscountById,
	findDiscountIdByCode,
	insertDiscount,
	listDiscountsWithUsage,
	normalizeCode,
	replaceDiscountRules,
} from '../db/repositories/discount-repository.ts';
import { writeTransaction } from '../db/transaction.ts';

// Discount use cases of the merchant (seed option, CLI, admin API and pages). Input is already validated against
// `core/discount-input.ts` by the caller's edge (router, form, CLI, options); these functions check what needs the
// database: handles that must exist and codes that must be unique.

type Db = CommerceDb;

const codeTaken = (code: string) =>
	duplicate(
		`A discount with code ${normalizeCode(code)} already exists. Edit it or choose another code.`,
		'duplicate_code',
	);

/** Resolves restriction handles to ids; an unknown handle is a 400 naming it. */
async function resolveHandles(db: Db, kind: HandleKind, handles: string[] | undefined): Promise<string[]> {
	if (!handles?.length) return [];
	const rows = await findIdsByHandles(db, kind, handles);
	const missing = handles.filter((h) => !rows.some((r) => r.handle === h));
	if (missing.length) throw invalid(`Unknown ${kind} handle(s): ${missing.join(', ')}`, 'unknown_handle');
	return rows.map((r) => r.id);
}

async function toFields(db: Db, rules: DiscountRules): Promise<DiscountFields> {
	return {
		code: rules.code,
		description: rules.description ?? null,
		type: rules.type,
		value: rules.type === 'free_shipping' ? 0 : rules.value,
		currencyCode: rules.currency ?? null,
		minSubtotal: rules.minSubtotal ?? null,
		maxDiscountAmount: rules.maxDiscountAmount ?? null,
		startsAt: rules.startsAt ? new Date(rules.startsAt).toISOString() : null,
		endsAt: rules.endsAt ? new Date(rules.endsAt).toISOString() : null,
		usageLimit: rules.usageLimit ?? null,
		perCustomerLimit: rules.perCustomerLimit ?? null,
		isDisabled: rules.disabled,
		productIds: await resolveHandles(db, 'product', rules.productHandles),
		categoryIds: await resolveHandles(db, 'category', rules.categoryHandles),
	};
}

/** A unique-constraint race the existence check could not see (two writers on PostgreSQL) is the same 422. */
async function guardUnique<T>(code: string, work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		if (isUniqueViolation(error)) throw codeTaken(code);
		throw error;
	}
}

async function insertRules(trx: Db, rules: DiscountRules, at: string): Promise<string> {
	if (await findDiscountIdByCode(trx, rules.code)) throw codeTaken(rules.code);
	return insertDiscount(trx, await toFields(trx, rules), rules.usageCount, at);
}

/** Creates a discount in one transaction; returns its id. A taken code is 422, an unknown handle 400. */
export async function createDiscount(db: Db, rules: DiscountRules, now = new Date()): Promise<string> {
	return guardUnique(rules.code, () => writeTransaction(db, (trx) => insertRules(trx, rules, now.toISOString())));
}

/**
 * Creates the seed discounts whose codes do not exist yet, in one transaction; existing ones (maybe edited by the
 * merchant since) are left alone. Returns the codes created.
 */
export async function seedDiscounts(db: Db, discounts: DiscountRules[], now = new Date()): Promise<string[]> {
	if (!discounts.length) return [];
	return writeTransaction(db, async (trx) => {
		const created: string[] = [];
		for (const rules of discounts) {
			if (await findDiscountIdByCode(trx, rules.code)) continue;
			await insertRules(trx, rules, now.toISOString());
			created.push(normalizeCode(rules.code));
		}
		return created;
	});
}

/** Every discount, newest first, with usage counts. */
export async function listDiscounts(db: Db): Promise<DiscountWithUsage[]> {
	return listDiscountsWithUsage(db);
}

/** One discount with its usage count, or null. */
export async function getDiscount(db: Db, id: string): Promise<DiscountWithUsage | null> {
	return (await listDiscountsWithUsage(db)).find((d) => d.id === id) ?? null;
}

async function mustGet(db: Db, id: string): Promise<DiscountWithUsage> {
	const found = await getDiscount(db, id);
	if (!found) throw notFound(`Discount with id ${id} was not found`);
	return found;
}

/**
 * Replaces a discount's rules with a full set (what the edit form sends); its usage count is kept, so editing never
 * resets how often it was used.
 */
export async function updateDiscount(db: Db, id: string, rules: DiscountRules): Promise<DiscountWithUsage> {
	await guardUnique(rules.code, () =>
		writeTransaction(db, async (trx) => {
			if (!(await findDiscountById(trx, id))) throw notFound(`Discount with id ${id} was not found`);
			const other = await findDiscountIdByCode(trx, rules.code);
			if (other && other !== id) throw codeTaken(rules.code);
			const fields = await toFields(trx, rules);
			if (!(await replaceDiscountRules(trx, id, fields, new Date().toISOString())))
				throw notFound(`Discount with id ${id} was not found`);
		}),
	);
	return mustGet(db, id);
}

/** Disables a discount (it stays listed with its usage; carts can no longer apply it). */
export async function disableDiscount(db: Db, id: string): Promise<DiscountWithUsage> {
	if (!(await disableDiscountRow(db, id, new Date().toISOString())))
		throw notFound(`Discount with id ${id} was not found`);
	return mustGet(db, id);
}

/** The handles of a discount's restriction, for the edit form (ids of products or categories deleted since drop out). */
export async function restrictionHandles(
	db: Db,
	discount: Pick<Discount, 'productIds' | 'categoryIds'>,
): Promise<{ productHandles: string[]; categoryHandles: string[] }> {
	const [products, categories] = await Promise.all([
		findHandlesByIds(db, 'product', discount.productIds ?? []),
		findHandlesByIds(db, 'category', discount.categoryIds ?? []),
	]);
	const inOrder = (rows: { id: string; handle: string }[], ids: string[] | null) =>
		(ids ?? []).flatMap((id) => rows.filter((r) => r.id === id).map((r) => r.handle));
	return {
		productHandles: inOrder(products, discount.productIds),
		categoryHandles: inOrder(categories, discount.categoryIds),
	};
}
