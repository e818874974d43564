import { type DiscountRules, discountInput } from '../../core/discount-input.ts';
import { currencyDecimals, toMinorUnits } from '../../core/money.ts';
import type { CommerceDb } from '../../db/client.ts';
import type { Discount } from '../../db/repositories/discount-repository.ts';
import { restrictionHandles } from '../../services/discounts.ts';
import { field, formIssues } from './admin-page.ts';
import { endAfterDay, lastDay } from './coupon-view.ts';

// The discount form of the coupon create and edit pages (merchants say "coupon"): form fields → the rules of
// `core/discount-input.ts`, and back for editing.

/** The validated rules from the form, or a message to show instead (naming the field). */
export function discountFormRules(form: FormData): DiscountRules | string {
	const input = discountFormInput(form);
	if (typeof input === 'string') return input;
	const parsed = discountInput.safeParse(input);
	return parsed.success ? parsed.data : formIssues(parsed.error);
}

/** Builds the rules' input from the form fields (decimals → minor units); a string is a message to show instead. */
function discountFormInput(form: FormData): Record<string, unknown> | string {
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
	// UTC days: the code works from the start of `starts_at` through the whole of `ends_at` (its last day).
	const starts = field(form, 'starts_at');
	if (starts) input.startsAt = `${starts}T00:00:00.000Z`;
	const ends = field(form, 'ends_at');
	if (ends && /^\d{4}-\d{2}-\d{2}$/.test(ends)) input.endsAt = endAfterDay(ends);
	else if (ends) input.endsAt = ends;
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

/** A discount as form values (amounts as decimals, dates as UTC days, restrictions as handles) for the edit form. */
export async function discountDraft(db: CommerceDb, d: Discount): Promise<Record<string, string>> {
	const { productHandles, categoryHandles } = await restrictionHandles(db, d);
	return {
		code: d.code,
		description: d.description ?? '',
		type: d.type,
		value: d.type === 'fixed' ? decimal(d.value, d.currencyCode) : d.type === 'percentage' ? String(d.value) : '',
		currency: d.currencyCode ?? '',
		min_subtotal: decimal(d.minSubtotal, d.currencyCode),
		max_discount: decimal(d.maxDiscountAmount, d.currencyCode),
		starts_at: d.startsAt?.slice(0, 10) ?? '',
		ends_at: d.endsAt ? lastDay(d.endsAt) : '',
		usage_limit: d.usageLimit === null ? '' : String(d.usageLimit),
		per_customer_limit: d.perCustomerLimit === null ? '' : String(d.perCustomerLimit),
		products: productHandles.join(', '),
		categories: categoryHandles.join(', '),
		disabled: d.isDisabled ? 'true' : '',
	};
}
