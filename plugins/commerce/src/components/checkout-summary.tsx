import type { StoreDiscount, StoreLineItem } from '../client/types.ts';
import { variantText } from '../core/line-name.ts';

// The order summary pieces shared by the checkout, the confirmation and the lookup page (a module of its own, so the
// checkout's bundle does not carry the confirmation page).

/** Lines with thumbnail, variant, quantity and line subtotal (checkout summary, confirmation, lookup). */
export function ItemList({ items, money }: { items: StoreLineItem[]; money: (amount: number) => string }) {
	return (
		<ul class="checkout-items" role="list">
			{items.map((item) => (
				<li key={item.id} class="checkout-item">
					{item.thumbnail ? (
						<img src={item.thumbnail} alt="" width="56" height="56" loading="lazy" decoding="async" />
					) : (
						<span />
					)}
					<span>
						{item.title}
						{variantText(item.title, item.description) && (
							<span class="checkout-item__variant"> · {variantText(item.title, item.description)}</span>
						)}
						<span class="checkout-item__quantity"> × {item.quantity}</span>
					</span>
					<span class="checkout-item__total">{money(item.subtotal)}</span>
				</li>
			))}
		</ul>
	);
}

interface Totals {
	subtotal: number;
	discount_total: number;
	shipping_total: number;
	tax_total: number;
	total: number;
	discounts?: StoreDiscount[];
}

/**
 * The totals as the API computed them, each row tagged `data-total`/`data-amount` (tests compare them with the API).
 * `shippingPending`: no shipping method chosen yet (a cart), so the row asks for one instead of saying "Free".
 */
export function TotalsList({
	totals,
	money,
	shippingPending = false,
}: {
	totals: Totals;
	money: (amount: number) => string;
	shippingPending?: boolean;
}) {
	const codes = totals.discounts?.map((d) => d.code).join(', ');
	const rows: [key: string, label: string, amount: number, text: string][] = [
		['subtotal', 'Subtotal', totals.subtotal, money(totals.subtotal)],
	];
	if (totals.discount_total > 0)
		rows.push([
			'discount',
			codes ? `Discount (${codes})` : 'Discount',
			totals.discount_total,
			`−${money(totals.discount_total)}`,
		]);
	const shipping = shippingPending
		? 'Choose an option'
		: totals.shipping_total === 0
			? 'Free'
			: money(totals.shipping_total);
	rows.push(
		['shipping', 'Shipping', totals.shipping_total, shipping],
		['tax', 'Tax', totals.tax_total, money(totals.tax_total)],
		['total', 'Total', totals.total, money(totals.total)],
	);
	return (
		<dl class="cart-totals">
			{rows.map(([key, label, amount, text]) => (
				<div class={`cart-totals__row cart-totals__row--${key}`} key={key} data-total={key} data-amount={amount}>
					<dt>{label}</dt>
					<dd>{text}</dd>
				</div>
			))}
		</dl>
	);
}
