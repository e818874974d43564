import { useEffect, useState } from 'preact/hooks';
import { createStoreClient, type StoreApiError } from '../client/store-client.ts';
import type { StoreOrder } from '../client/types.ts';
import { formatMoney } from '../core/money.ts';
import { addressLines, orderStatusText } from './checkout-order.ts';
import { ItemList, TotalsList } from './checkout-summary.tsx';

export interface OrderConfirmationProps {
	/** Store API base. @default '/store' */
	storeUrl?: string;
	/** The guest order lookup page. @default '/order/lookup/' */
	lookupUrl?: string;
	/** Where a signed-in customer's orders live; the order id and "/" are appended. @default '/account/orders/' */
	accountOrdersUrl?: string;
	/** @default '/#catalog' */
	catalogUrl?: string;
}

type State =
	| { kind: 'loading' }
	| { kind: 'order'; order: StoreOrder }
	| { kind: 'error'; status: number; message: string };

/**
 * The page after checkout: reads `?id=` and shows the order (number, email, items, totals, address, next steps). The
 * API shows an order only to the browser that placed it and for a limited time; other visitors are pointed to the
 * order lookup.
 */
export default function OrderConfirmation({
	storeUrl,
	lookupUrl = '/order/lookup/',
	accountOrdersUrl = '/account/orders/',
	catalogUrl = '/#catalog',
}: OrderConfirmationProps) {
	const [state, setState] = useState<State>({ kind: 'loading' });

	useEffect(() => {
		const id = new URLSearchParams(location.search).get('id');
		if (!id) return setState({ kind: 'error', status: 404, message: 'This link does not name an order.' });
		createStoreClient(storeUrl)
			.getOrder(id)
			.then(
				(order) => setState({ kind: 'order', order }),
				(error: StoreApiError) => setState({ kind: 'error', status: error.status, message: error.message }),
			);
	}, []);

	if (state.kind === 'loading') return <p role="status">Loading your order…</p>;
	if (state.kind === 'error') {
		const lookup =
			'Look the order up with the order number from your confirmation email, your email and your postal code.';
		return (
			<div class="empty-state order-missing" role="alert">
				{state.status === 404 ? (
					<p>We couldn't find this order. Check the link in your confirmation email. {lookup}</p>
				) : state.status === 403 || state.status === 401 ? (
					<p>
						This order link has expired: for your privacy, a link alone shows an order only for a short time after
						checkout. {lookup}
					</p>
				) : (
					<p>The order could not be loaded: {state.message}</p>
				)}
				<p class="order-missing__actions">
					<a class="button button--primary" href={lookupUrl}>
						Look up an order
					</a>
					<a class="button" href={catalogUrl}>
						Continue shopping
					</a>
				</p>
			</div>
		);
	}

	const { order } = state;
	const name = order.shipping_address?.first_name;
	return (
		<div class="order-confirmed">
			<div class="order-confirmed__banner" role="status">
				<h2>Thank you for your order{name ? `, ${name}` : ''}.</h2>
				<p class="order-confirmed__number">
					Order number <strong data-order-number={order.display_id}>#{order.display_id}</strong>
				</p>
			</div>
			<div class="order-layout">
				<OrderSummary order={order} />
				<section class="order-next" aria-labelledby="order-next-title">
					<h2 id="order-next-title">What happens next</h2>
					<ol class="order-next__list">
						<li>
							A confirmation email is on its way to <strong>{order.email}</strong>.
						</li>
						<li>We pack and ship your order within 1–2 business days and email you when it leaves.</li>
						{order.customer_id ? (
							// A customer's order lives in their account (the guest lookup does not show customer orders).
							<li>
								Check its status any time in{' '}
								<a href={`${accountOrdersUrl}${encodeURIComponent(order.id)}/`}>your account</a>.
							</li>
						) : (
							<li>
								Check its status any time with{' '}
								<a href={`${lookupUrl}?order=${order.display_id}&email=${encodeURIComponent(order.email)}`}>
									order lookup
								</a>{' '}
								(order number, email and postal code).
							</li>
						)}
					</ol>
					<a class="button" href={catalogUrl}>
						Continue shopping
					</a>
				</section>
			</div>
		</div>
	);
}

/** An order's items, totals, addresses and state; shared by the confirmation and the lookup page. */
export function OrderSummary({ order }: { order: StoreOrder }) {
	const money = (amount: number) => formatMoney(amount, order.currency_code);
	const status = orderStatusText(order);
	const method = order.shipping_methods?.[0]?.shipping_option?.name;
	return (
		<section class="order-summary cart__summary" aria-labelledby={`order-${order.id}-title`} data-order-id={order.id}>
			<h2 id={`order-${order.id}-title`}>Order #{order.display_id}</h2>
			<dl class="order-facts">
				<div>
					<dt>Placed</dt>
					<dd>{new Date(order.created_at).toLocaleDateString(undefined, { dateStyle: 'long' })}</dd>
				</div>
				<div>
					<dt>Email</dt>
					<dd>{order.email}</dd>
				</div>
				<div>
					<dt>Status</dt>
					<dd data-order-status={order.fulfillment_status}>{status.shipping}</dd>
				</div>
				<div>
					<dt>Payment</dt>
					<dd>{status.payment}</dd>
				</div>
			</dl>
			<ItemList items={order.items} money={money} />
			<TotalsList totals={order} money={money} />
			{order.shipping_address && (
				<div class="order-address">
					<h3>Shipping to</h3>
					<address>
						{addressLines(order.shipping_address).map((line) => (
							<span key={line}>{line}</span>
						))}
					</address>
					{method && <p class="variant-form__note">{method}</p>}
				</div>
			)}
		</section>
	);
}
