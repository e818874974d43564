import { useState } from 'preact/hooks';
import { createAccountClient, syncCart } from '../client/account-client.ts';
import type { StoreCustomer, StoreCustomerOrderList } from '../client/account-types.ts';
import type { StoreApiError } from '../client/store-client.ts';
import { LoadState } from './account-fields.tsx';
import { failureText, LOGIN_URL, useCustomerData } from './account-form.ts';
import { OrderCard } from './OrderHistory.tsx';

export interface AccountOverviewProps {
	/** Store API base. @default '/store' */
	storeUrl?: string;
	/** @default '/account/login/' */
	loginUrl?: string;
	/** @default '/account/orders/' */
	ordersUrl?: string;
	/** @default '/account/profile/' */
	profileUrl?: string;
	/** @default '/account/wishlist/' */
	wishlistUrl?: string;
	/** How many recent orders to show. @default 3 */
	recentOrders?: number;
}

/**
 * The account home: who is signed in, the latest orders, links to the other account pages, and signing out. Signing
 * out rotates the cart (the customer's cart stays with the account), so the cart store reloads before leaving.
 */
export default function AccountOverview({
	storeUrl,
	loginUrl = LOGIN_URL,
	ordersUrl = '/account/orders/',
	profileUrl = '/account/profile/',
	wishlistUrl = '/account/wishlist/',
	recentOrders = 3,
}: AccountOverviewProps) {
	const [state, , retry] = useCustomerData(async (): Promise<[StoreCustomer, StoreCustomerOrderList]> => {
		const client = createAccountClient(storeUrl);
		return Promise.all([client.getCustomer(), client.listOrders(recentOrders, 0)]);
	}, loginUrl);
	const [signingOut, setSigningOut] = useState(false);
	const [failure, setFailure] = useState('');

	async function signOut() {
		if (signingOut) return;
		setSigningOut(true);
		setFailure('');
		try {
			const { cartId } = await createAccountClient(storeUrl).logout();
			await syncCart(cartId, false);
			location.assign(`${loginUrl}?signed_out=1`);
		} catch (error) {
			// 401: there was no session to end; the shopper is signed out either way.
			if ((error as StoreApiError).status === 401) {
				await syncCart(null, false);
				location.assign(`${loginUrl}?signed_out=1`);
				return;
			}
			setFailure(failureText(error as StoreApiError));
			setSigningOut(false);
		}
	}

	if (state.kind !== 'ready') return <LoadState state={state} what="your account" retry={retry} />;
	const [customer, { orders, count }] = state.data;
	const name = [customer.first_name, customer.last_name].filter(Boolean).join(' ');

	return (
		<div class="account-overview">
			<section class="account-card" aria-labelledby="account-me-title">
				<h2 id="account-me-title" data-account-name>
					Hello{customer.first_name ? `, ${customer.first_name}` : ''}
				</h2>
				<dl class="order-facts">
					{name && (
						<div>
							<dt>Name</dt>
							<dd>{name}</dd>
						</div>
					)}
					<div>
						<dt>Email</dt>
						<dd data-account-email>{customer.email}</dd>
					</div>
					{customer.phone && (
						<div>
							<dt>Phone</dt>
							<dd>{customer.phone}</dd>
						</div>
					)}
				</dl>
				<p class="account-card__actions">
					<a class="button" href={profileUrl}>
						Edit profile and addresses
					</a>
					<button type="button" class="button" disabled={signingOut} onClick={signOut}>
						{signingOut ? 'Signing out…' : 'Sign out'}
					</button>
				</p>
				<p class="form-error" role="alert">
					{failure}
				</p>
			</section>

			<section class="account-card" aria-labelledby="account-recent-title">
				<h2 id="account-recent-title">Recent orders</h2>
				{orders.length === 0 ? (
					<p>You have not placed any orders yet.</p>
				) : (
					<ol class="account-order-list" role="list">
						{orders.map((order) => (
							<OrderCard key={order.id} order={order} href={`${ordersUrl}${encodeURIComponent(order.id)}/`} />
						))}
					</ol>
				)}
				{count > 0 && (
					<p>
						<a href={ordersUrl}>{count > orders.length ? `See all ${count} orders` : 'Order history'}</a>
					</p>
				)}
			</section>

			<nav class="account-card account-links" aria-label="Your account">
				<h2>Your account</h2>
				<ul role="list">
					<li>
						<a href={ordersUrl}>Orders and tracking</a>
					</li>
					<li>
						<a href={profileUrl}>Profile, password and addresses</a>
					</li>
					<li>
						<a href={wishlistUrl}>Wishlist</a>
					</li>
				</ul>
			</nav>
		</div>
	);
}
