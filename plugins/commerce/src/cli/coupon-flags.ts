import type { DiscountInput } from '../core/discount-input.ts';
import { toMinorUnits } from '../core/money.ts';

type Flags = Partial<Record<string, string | boolean | undefined>>;
export type CouponFlagsResult = { ok: true; value: DiscountInput } | { ok: false; message: string };

/**
 * Turns `coupon:create` flags into a discount input. Merchants write money as decimals (`--value 5.00`), converted
 * exactly with the currency's decimals; the whole coupon is then validated
 * once against `core/discount-input.ts` by the command.
 */
export function couponFromFlags(flags: Flags): CouponFlagsResult {
	const text = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
	const code = text('code');
	const type = text('type');
	if (!code || !type)
		return { ok: false, message: 'Give at least --code and --type (percentage, fixed or free_shipping).' };
	if (!['percentage', 'fixed', 'free_shipping'].includes(type))
		return { ok: false, message: `--type ${type} is not one of percentage, fixed, free_shipping.` };
	const currency = text('currency')?.toLowerCase();
	const money = (name: string): number | undefined | string => {
		const raw = text(name);
		if (raw === undefined) return undefined;
		if (!currency) return `--${name} needs --currency to know what ${raw} is.`;
		const converted = toMinorUnits(raw, currency);
		return converted.ok ? converted.amount : `--${name}: ${converted.reason}`;
	};
	const integer = (name: string): number | undefined | string => {
		const raw = text(name);
		if (raw === undefined) return undefined;
		return /^\d+$/.test(raw) ? Number(raw) : `--${name} must be a whole number, got ${raw}.`;
	};
	const list = (name: string) =>
		text(name)
			?.split(',')
			.map((s) => s.trim())
			.filter(Boolean);

	const value = type === 'fixed' ? money('value') : text('value') === undefined ? 0 : Number(text('value'));
	const parsed = {
		value,
		minSubtotal: money('min-subtotal'),
		maxDiscountAmount: money('max-discount'),
		usageLimit: integer('usage-limit'),
		perCustomerLimit: integer('per-customer-limit'),
	};
	const problem = Object.values(parsed).find((v) => typeof v === 'string');
	if (typeof problem === 'string') return { ok: false, message: problem };
	if (typeof value === 'number' && Number.isNaN(value))
		return { ok: false, message: `--value ${text('value')} is not a number.` };

	return {
		ok: true,
		value: {
			code,
			type: type as DiscountInput['type'],
			value: parsed.value as number,
			currency,
			minSubtotal: parsed.minSubtotal as number | undefined,
			maxDiscountAmount: parsed.maxDiscountAmount as number | undefined,
			startsAt: text('starts-at'),
			endsAt: text('ends-at'),
			usageLimit: parsed.usageLimit as number | undefined,
			perCustomerLimit: parsed.perCustomerLimit as number | undefined,
			productHandles: list('product-handles'),
			categoryHandles: list('category-handles'),
			description: text('description'),
			disabled: flags.disabled === true,
		},
	};
}
