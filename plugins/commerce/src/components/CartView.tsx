import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { configureAnalytics, track } from '../client/analytics.ts';
import { applyCode, removeCode, removeItem, setShipping, storeClient, updateItem } from '../client/cart-actions.ts';
import type { CartResult } from '../client/cart-store.ts';
import { configureCart } from '../client/cart-store.ts';
import type { StoreCart, StoreLineItem, StoreShippingOption } from '../client/types.ts';
import { useCart } from '../client/use-cart.ts';
import { MAX_LINE_QUANTITY } from '../core/cart-limits.ts';
import { lineName, variantText } from '../core/line-name.ts';
import { formatMoney } from '../core/money.ts';
import { DiscountCodes } from './discount-codes.tsx';

export interface CartViewProps {
	/** Store API base. @default '/store' */
	storeUrl?: string;
	/** Where the empty cart sends shoppers. @default '/#catalog' */
	catalogUrl?: string;
	/** Product pages live at this prefix + handle (used when the API includes the handle). @default '/products/' */
	productBase?: string;
	/** The checkout page. @default '/checkout/' */
	checkoutUrl?: string;
	/** Analytics beacon path (the plugin's `analyticsPath`). @default '/analytics/events' */
	analyticsUrl?: string;
}

type Errors = Partial<Record<string, string>>;

/**
 * The cart page: lines with quantity and remove, discount code, shipping choice and totals. Every change goes
 * through the shared cart store, so the header badge follows; API errors are shown beside the control that failed.
 */
export default function CartView({
	storeUrl,
	catalogUrl = '/#catalog',
	productBase = '/products/',
	checkoutUrl = '/checkout/',
	analyticsUrl,
}: CartViewProps) {
	if (storeUrl) configureCart(storeUrl);
	if (analyticsUrl) configureAnalytics(analyticsUrl);
	const { cart, loaded, busy } = useCart();
	const [errors, setErrors] = useState<Errors>({});
	const [status, setStatus] = useState('');

	// One view_cart per page, once the stored cart has been read (so it can name the cart and its value).
	useEffect(() => {
		if (!loaded) return;
		const region = cart?.region;
		track(
			'view_cart',
			cart ? { cart_id: cart.id, ...(region ? { value: cart.subtotal, currency: region.currency_code } : {}) } : {},
		);
	}, [loaded]);

	/** Runs an action; on failure the API's message goes to `slot`, on success `done` is announced. */
	async function run(slot: string, action: Promise<CartResult>, done: string): Promise<boolean> {
		setStatus('');
		setErrors((current) => ({ ...current, [slot]: undefined }));
		const result = await action;
		if (result.ok) setStatus(done);
		else setErrors((current) => ({ ...current, [slot]: result.error.message }));
		return result.ok;
	}

	if (!loaded)
		return (
			<p class="cart-loading" role="status">
				Loading your cart…
			</p>
		);
	if (!cart || cart.items.length === 0) {
		return (
			<div class="empty-state cart-empty">
				<p role="status">{status ? `${status} ` : ''}Your cart is empty.</p>
				<a class="button button--primary" href={catalogUrl}>
					Browse the catalog
				</a>
			</div>
		);
	}

	const currency = cart.region?.currency_code ?? 'usd';
	const money = (amount: number) => formatMoney(amount, currency);
	return (
		<div class="cart" aria-busy={busy}>
			<section class="cart__lines" aria-labelledby="cart-lines-title">
				<h2 id="cart-lines-title" class="visually-hidden">
					Items
				</h2>
				<ul class="cart-lines" role="list">
					{cart.items.map((item) => (
						<CartLine
							key={item.id}
							item={item}
							money={money}
							busy={busy}
							error={errors[`line:${item.id}`]}
							href={item.variant?.product?.handle ? productBase + item.variant.product.handle : undefined}
							onQuantity={(quantity) =>
								run(
									`line:${item.id}`,
									updateItem(item.id, quantity),
									quantity === 0 ? `Removed ${item.title}.` : 'Quantity updated.',
								)
							}
							onRemove={() => run(`line:${item.id}`, removeItem(item.id), `Removed ${item.title}.`)}
						/>
					))}
				</ul>
			</section>
			<section class="cart__summary" aria-labelledby="cart-summary-title">
				<h2 id="cart-summary-title">Order summary</h2>
				<DiscountForm cart={cart} busy={busy} error={errors.coupon} run={run} />
				<ShippingChoice cart={cart} busy={busy} money={money} error={errors.shipping} run={run} />
				<Totals cart={cart} money={money} />
				{/* Shown only with items (the empty cart returns above); address, shipping and payment follow there. */}
				<a class="button button--primary button--block" href={checkoutUrl}>
					Checkout
				</a>
			</section>
			<p class="visually-hidden" role="status">
				{status}
			</p>
		</div>
	);
}

interface CartLineProps {
	item: StoreLineItem;
	money: (amount: number) => string;
	busy: boolean;
	error: string | undefined;
	href: string | undefined;
	onQuantity: (quantity: number) => Promise<boolean>;
	onRemove: () => void;
}

function CartLine({ item, money, busy, error, href, onQuantity, onRemove }: CartLineProps) {
	// Local text so typing is not overwritten by re-renders; reset whenever the cart's quantity changes.
	const [quantity, setQuantity] = useState(String(item.quantity));
	const [invalid, setInvalid] = useState(false);
	useEffect(() => setQuantity(String(item.quantity)), [item.quantity]);

	const name = lineName(item.title, item.description);
	const variant = variantText(item.title, item.description);
	const inputId = `qty-${item.id}`;
	const errorId = `line-error-${item.id}`;

	function submit(event: TargetedSubmitEvent<HTMLFormElement>) {
		event.preventDefault();
		const value = Number(quantity);
		const valid = quantity.trim() !== '' && Number.isInteger(value) && value >= 0 && value <= MAX_LINE_QUANTITY;
		setInvalid(!valid);
		if (valid && value !== item.quantity) void onQuantity(value);
	}

	return (
		<li class="cart-line" data-line-id={item.id}>
			{item.thumbnail ? (
				<img
					class="cart-line__image"
					src={item.thumbnail}
					alt=""
					width="96"
					height="96"
					loading="lazy"
					decoding="async"
				/>
			) : (
				<span />
			)}
			<div class="cart-line__info">
				<h3 class="cart-line__title">{href ? <a href={href}>{item.title}</a> : item.title}</h3>
				{variant && <p class="cart-line__variant">{variant}</p>}
				<p class="cart-line__unit">{money(item.unit_price)} each</p>
			</div>
			<form class="cart-line__quantity" onSubmit={submit}>
				<label for={inputId}>
					Quantity<span class="visually-hidden"> of {name}</span>
				</label>
				<input
					id={inputId}
					type="number"
					inputmode="numeric"
					min="0"
					max={MAX_LINE_QUANTITY}
					step="1"
					value={quantity}
					onInput={(event) => setQuantity(event.currentTarget.value)}
					aria-invalid={invalid || !!error || undefined}
					aria-describedby={errorId}
				/>
				<button type="submit" class="button" disabled={busy} aria-label={`Update quantity of ${name}`}>
					Update
				</button>
			</form>
			<p class="cart-line__total" data-line-total={item.subtotal}>
				{money(item.subtotal)}
			</p>
			<button
				type="button"
				class="button cart-line__remove"
				disabled={busy}
				onClick={onRemove}
				aria-label={`Remove ${name}`}
			>
				Remove
			</button>
			<p id={errorId} class="form-error cart-line__error" role="alert">
				{invalid ? `Enter a quantity from 0 to ${MAX_LINE_QUANTITY} (0 removes the item).` : error}
			</p>
		</li>
	);
}

type Run = (slot: string, action: Promise<CartResult>, done: string) => Promise<boolean>;

function DiscountForm({
	cart,
	busy,
	error,
	run,
}: {
	cart: StoreCart;
	busy: boolean;
	error: string | undefined;
	run: Run;
}) {
	return (
		<DiscountCodes
			idPrefix="discount"
			discounts={cart.discounts}
			disabled={busy}
			error={error}
			onApply={(code) => run('coupon', applyCode(code), `Code ${code} applied.`)}
			onRemove={(code) => void run('coupon', removeCode(code), `Code ${code} removed.`)}
		/>
	);
}

interface ShippingChoiceProps {
	cart: StoreCart;
	busy: boolean;
	money: (amount: number) => string;
	error: string | undefined;
	run: Run;
}

function ShippingChoice({ cart, busy, money, error, run }: ShippingChoiceProps) {
	const [options, setOptions] = useState<StoreShippingOption[] | null>(null);
	const [loadError, setLoadError] = useState('');
	const selected = cart.shipping_methods[0]?.shipping_option_id;

	// Options depend on the subtotal (free shipping over a threshold), so they are fetched again when it changes.
	useEffect(() => {
		let current = true;
		storeClient()
			.listShippingOptions(cart.id)
			.then(
				(list) => {
					if (!current) return;
					setOptions(list);
					setLoadError('');
				},
				(failure: Error) => {
					if (current) setLoadError(failure.message);
				},
			);
		return () => {
			current = false;
		};
	}, [cart.id, cart.subtotal, cart.region_id]);

	return (
		<fieldset class="option-group cart-shipping">
			<legend class="option-group__legend">Shipping</legend>
			{options === null && !loadError && <p>Loading shipping options…</p>}
			{options?.length === 0 && <p>No shipping options are available for this cart.</p>}
			{options?.map((option) => (
				<label class="cart-shipping__option" key={option.id}>
					<input
						type="radio"
						name="shipping-option"
						value={option.id}
						checked={selected === option.id}
						disabled={busy}
						onChange={() => run('shipping', setShipping(option.id), `${option.name} selected.`)}
					/>
					<span class="cart-shipping__name">{option.name}</span>
					<span class="cart-shipping__price">
						{option.amount === null ? '' : option.amount === 0 ? 'Free' : money(option.amount)}
					</span>
				</label>
			))}
			<p class="form-error" role="alert">
				{error ?? loadError}
			</p>
		</fieldset>
	);
}

function Totals({ cart, money }: { cart: StoreCart; money: (amount: number) => string }) {
	const codes = cart.discounts.map((d) => d.code).join(', ');
	const rows: [key: string, label: string, value: string, amount: number][] = [
		['subtotal', 'Subtotal', money(cart.subtotal), cart.subtotal],
	];
	if (cart.discount_total > 0)
		rows.push([
			'discount',
			codes ? `Discount (${codes})` : 'Discount',
			`−${money(cart.discount_total)}`,
			cart.discount_total,
		]);
	const shipping = !cart.shipping_methods.length
		? 'Choose an option'
		: cart.shipping_total === 0
			? 'Free'
			: money(cart.shipping_total);
	rows.push(['shipping', 'Shipping', shipping, cart.shipping_total]);
	rows.push(['tax', 'Tax', money(cart.tax_total), cart.tax_total], ['total', 'Total', money(cart.total), cart.total]);
	return (
		<dl class="cart-totals">
			{rows.map(([key, label, value, amount]) => (
				<div class={`cart-totals__row cart-totals__row--${key}`} key={key} data-total={key} data-amount={amount}>
					<dt>{label}</dt>
					<dd>{value}</dd>
				</div>
			))}
		</dl>
	);
}
