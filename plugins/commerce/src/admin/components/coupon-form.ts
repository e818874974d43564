import { currencyDecimals, toMinorUnits } from '../../core/money.ts';
import type { CommerceDb } from '../../db/client.ts';
import type { CouponRow } from '../../services/admin/coupons.ts';
import { field } from './admin-page.ts';

// The coupon form of the create and edit pages: form fields → the service's `discountInput`, and back for editing.

/** Builds the service input from the form; a string is a message to show instead. */
export function couponInput(form: FormData): Record<string, unknown> | string {
	const type = field(form, 'type');
	const currency = field(form, 'currency').toLowerCase();
	const input: Record<string, unknown> = { code: field(form, 'code'), type };
	const description = field(form, 'description');
	if (description) input.description = description;
	if (currency) input.currency = currency;
	const money = (name: string, label: string): number | string | undefined => {
		const text = field(form, name);
		if (!text) return undefined;
		const parsed = toMinorUnits(text, currency || 'usd');
		return parsed.ok ? parsed.amount : `${label}: ${parsed.reason}`;
	};
	const value = field(form, 'value');
	if (type === 'percentage') input.value = Number(value);
	if (type === 'fixed') {
		const amount = money('value', 'Value');
		if (typeof amount === 'string') return amount;
		input.value = amount ?? 0;
	}
	for (const [name, key, label] of [
		['min_subtotal', 'minSubtotal', 'Minimum subtotal'],
		['max_discount', 'maxDiscountAmount', 'Maximum discount'],
	] as const) {
		const amount = money(name, label);
		if (typeof amount === 'string') return amount;
		if (amount !== undefined) input[key] = amount;
	}
	for (const [name, key] of [
		['starts_at', 'startsAt'],
		['ends_at', 'endsAt'],
	] as const) {
		const day = field(form, name);
		if (day) input[key] = `${day}T00:00:00.000Z`;
	}
	for (const [name, key] of [
		['usage_limit', 'usageLimit'],
		['per_customer_limit', 'perCustomerLimit'],
	] as const) {
		const text = field(form, name);
		if (text) input[key] = Number(text);
	}
	for (const [name, key] of [
		['products', 'productHandles'],
		['categories', 'categoryHandles'],
	] as const) {
		const handles = field(form, name)
			.split(/[\s,]+/)
			.filter(Boolean);
		if (handles.length) input[key] = handles;
	}
	// Only the edit form has the checkbox; unchecked there means active again.
	if (field(form, 'disabled') === 'true') input.disabled = true;
	return input;
}

const decimal = (amount: number | null, currency: string | null): string => {
	if (amount === null) return '';
	const digits = currencyDecimals(currency ?? 'usd');
	return (amount / 10 ** digits).toFixed(digits);
};

/** A coupon as form values (amounts as decimals, dates as UTC days, restrictions as handles) for the edit form. */
export async function couponDraft(db: CommerceDb, c: CouponRow): Promise<Record<string, string>> {
	const ids = [...c.productIds, ...c.categoryIds];
	const [products, categories] = ids.length
		? await Promise.all([
				db.selectFrom('product').select(['id', 'handle']).where('id', 'in', ids).execute(),
				db.selectFrom('product_category').select(['id', 'handle']).where('id', 'in', ids).execute(),
			])
		: [[], []];
	const handles = (list: { id: string; handle: string }[], wanted: string[]) =>
		list
			.filter((r) => wanted.includes(r.id))
			.map((r) => r.handle)
			.join(', ');
	return {
		code: c.code,
		description: c.description ?? '',
		type: c.type,
		value: c.type === 'fixed' ? decimal(c.value, c.currency_code) : c.type === 'percentage' ? String(c.value) : '',
		currency: c.currency_code ?? '',
		min_subtotal: decimal(c.min_subtotal, c.currency_code),
		max_discount: decimal(c.max_discount_amount, c.currency_code),
		starts_at: c.starts_at?.slice(0, 10) ?? '',
		ends_at: c.ends_at?.slice(0, 10) ?? '',
		usage_limit: c.usage_limit === null ? '' : String(c.usage_limit),
		per_customer_limit: c.per_customer_limit === null ? '' : String(c.per_customer_limit),
		products: handles(products, c.productIds),
		categories: handles(categories, c.categoryIds),
		disabled: c.is_disabled ? 'true' : '',
	};
}
