import { useState } from 'preact/hooks';
import { createAccountClient } from '../client/account-client.ts';
import type { StoreCustomerOrder } from '../client/account-types.ts';
import type { StoreApiError } from '../client/store-client.ts';
import { formatMoney } from '../core/money.ts';
import { LoadState } from './account-fields.tsx';
import { failureText, LOGIN_URL, redirectToLogin, useCustomerData } from './account-form.ts';
import { formatDate, isCanceled, itemTotal } from './account-orders.ts';
import { orderStatusText } from './checkout-order.ts';

export interface OrderHistoryProps {
	/** Store API base. @default '/store' */
	storeUrl?: string;
	/** Order detail pages live at this prefix + order id + `/`. @default '/account/orders/' */
	ordersUrl?: string;
	/** @default '/account/login/' */
	loginUrl?: string;
	/** @default '/#catalog' */
	catalogUrl?: string;
	/** Orders per page. @default 10 */
	pageSize?: number;
}

/** The page number of `?page=` (1 when absent or invalid). */
const pageFromUrl = () => {
	const page = Number(new URLSearchParams(location.search).get('page'));
	return Number.isInteger(page) && page > 0 ? page : 1;
};

/**
 * The customer's orders, newest first, `pageSize` per page (`?page=`), each linking to its detail page; and a way to
 * attach orders placed as a guest with the same email (the server emails a confirmation link).
 */
export default function OrderHistory({
	storeUrl,
	ordersUrl = '/account/orders/',
	loginUrl = LOGIN_URL,
	catalogUrl = '/#catalog',
	pageSize = 10,
}: OrderHistoryProps) {
	// The page is read from the address in the browser (the load runs there only); the answer's offset says which it was.
	const [state, , retry] = useCustomerData(
		() => createAccountClient(storeUrl).listOrders(pageSize, (pageFromUrl() - 1) * pageSize),
		loginUrl,
	);

	if (state.kind !== 'ready') return <LoadState state={state} what="your orders" retry={retry} />;
	const { orders, count, offset } = state.data;
	const page = Math.floor(offset / pageSize) + 1;
	const pages = Math.max(1, Math.ceil(count / pageSize));
	const pageHref = (n: number) => (n === 1 ? ordersUrl : `${ordersUrl}?page=${n}`);

	return (
		<div class="account-orders">
			{count === 0 ? (
				<div class="empty-state">
					<p>You have not placed any orders yet.</p>
					<a class="button button--primary" href={catalogUrl}>
						Browse the catalog
					</a>
				</div>
			) : orders.length === 0 ? (
				<div class="empty-state">
					<p>There are no orders on this page.</p>
					<a class="button" href={ordersUrl}>
						Back to your latest orders
					</a>
				</div>
			) : (
				<>
					<p class="section__meta">
						{count === 1 ? '1 order' : `${count} orders`}
						{pages > 1 && `, page ${page} of ${pages}`}
					</p>
					<ol class="account-order-list" role="list">
						{orders.map((order) => (
							<OrderCard
								key={order.id}
								order={order}
								href={`${ordersUrl}${encodeURIComponent(order.id)}/`}
								headingLevel={2}
							/>
						))}
					</ol>
					{pages > 1 && (
						<nav class="pagination" aria-label="Order pages">
							{page > 1 ? (
								<a class="button" href={pageHref(page - 1)} rel="prev">
									Newer orders
								</a>
							) : (
								<span />
							)}
							<span>
								Page {page} of {pages}
							</span>
							{page < pages ? (
								<a class="button" href={pageHref(page + 1)} rel="next">
									Older orders
								</a>
							) : (
								<span />
							)}
						</nav>
					)}
				</>
			)}
			<ClaimOrders storeUrl={storeUrl} loginUrl={loginUrl} />
		</div>
	);
}

/** One order of a list: number (linking to its page), date, state, item count and total. */
export function OrderCard({
	order,
	href,
	headingLevel = 3,
}: {
	order: StoreCustomerOrder;
	href: string;
	/** 2 on the orders page (right under its h1), 3 under the overview's "Recent orders". */
	headingLevel?: 2 | 3;
}) {
	const status = orderStatusText(order);
	const items = itemTotal(order);
	const Heading = headingLevel === 2 ? 'h2' : 'h3';
	return (
		<li class="account-order" data-order-id={order.id}>
			<Heading class="account-order__title">
				<a href={href}>Order #{order.display_id}</a>
			</Heading>
			<dl class="order-facts">
				<div>
					<dt>Placed</dt>
					<dd>
						<time dateTime={order.created_at}>{formatDate(order.created_at)}</time>
					</dd>
				</div>
				<div>
					<dt>Status</dt>
					<dd data-order-status={isCanceled(order) ? 'canceled' : order.fulfillment_status}>
						{isCanceled(order) ? 'Canceled' : status.shipping}
					</dd>
				</div>
				<div>
					<dt>Items</dt>
					<dd>{items}</dd>
				</div>
				<div>
					<dt>Total</dt>
					<dd>{formatMoney(order.total, order.currency_code)}</dd>
				</div>
			</dl>
		</li>
	);
}

/** "Placed orders as a guest?": the server emails a link that attaches them after the shopper proves the address. */
function ClaimOrders({ storeUrl, loginUrl }: { storeUrl?: string; loginUrl: string }) {
	const [sending, setSending] = useState(false);
	const [message, setMessage] = useState('');
	const [failure, setFailure] = useState('');

	async function claim() {
		if (sending) return;
		setSending(true);
		setMessage('');
		setFailure('');
		try {
			await createAccountClient(storeUrl).requestOrderClaim();
			setMessage('We have emailed you a link. Open it while signed in to add your earlier orders to this account.');
		} catch (error) {
			const apiError = error as StoreApiError;
			if (apiError.status === 401) return redirectToLogin(loginUrl);
			setFailure(failureText(apiError));
		} finally {
			setSending(false);
		}
	}

	return (
		<section class="account-claim" aria-labelledby="account-claim-title">
			<h2 id="account-claim-title">Missing an order?</h2>
			<p>
				Orders you placed as a guest with this account's email address can be added here. We will email you a link to
				confirm.
			</p>
			<button type="button" class="button" disabled={sending} onClick={claim}>
				{sending ? 'Sending…' : 'Email me a link'}
			</button>
			<p class="form-error" role="alert">
				{failure}
			</p>
			<p class="form-status form-success" role="status">
				{message}
			</p>
		</section>
	);
}
