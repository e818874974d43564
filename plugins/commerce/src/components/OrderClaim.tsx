import { useEffect, useState } from 'preact/hooks';
import { createAccountClient } from '../client/account-client.ts';
import { isSignedIn } from '../client/account-session.ts';
import type { StoreApiError } from '../client/store-client.ts';
import { failureText, LOGIN_URL, loginHref } from './account-form.ts';

export interface OrderClaimProps {
	/** Store API base. @default '/store' */
	storeUrl?: string;
	/** @default '/account/login/' */
	loginUrl?: string;
	/** @default '/account/orders/' */
	ordersUrl?: string;
}

/**
 * The page the order-claim email links to (`?token=…`): confirms, while signed in, that the guest orders placed with
 * this email address join the account. Asks for a click rather than acting on page load, so a link preview cannot
 * use the token; the token leaves the address bar at once.
 */
export default function OrderClaim({
	storeUrl,
	loginUrl = LOGIN_URL,
	ordersUrl = '/account/orders/',
}: OrderClaimProps) {
	const [token, setToken] = useState<string | null | undefined>(undefined);
	const [sending, setSending] = useState(false);
	const [added, setAdded] = useState<number | null>(null);
	const [failure, setFailure] = useState('');

	const toLogin = (value: string) =>
		location.replace(loginHref(loginUrl, `${location.pathname}?token=${encodeURIComponent(value)}`));

	useEffect(() => {
		const value = new URLSearchParams(location.search).get('token');
		if (value && !isSignedIn()) return toLogin(value);
		setToken(value);
		if (value) history.replaceState(history.state, '', location.pathname);
	}, []);

	async function confirm() {
		if (!token || sending) return;
		setSending(true);
		setFailure('');
		const client = createAccountClient(storeUrl);
		try {
			setAdded((await client.confirmOrderClaim(token)).count ?? 0);
		} catch (error) {
			const apiError = error as StoreApiError;
			// A 401 is an ended session or a bad token; the session check tells which.
			if (
				apiError.status === 401 &&
				!(await client.getSession().then(
					() => true,
					() => false,
				))
			)
				return toLogin(token);
			setFailure(
				apiError.status === 400 || apiError.status === 401 || apiError.status === 404
					? 'This link has expired or has already been used. Request a new one from your order history.'
					: failureText(apiError),
			);
		} finally {
			setSending(false);
		}
	}

	if (token === undefined) return <p role="status">Checking your link…</p>;
	if (token === null) {
		return (
			<div class="empty-state" role="alert">
				<p>This page needs the link from your email. You can request a new one from your order history.</p>
				<a class="button button--primary" href={ordersUrl}>
					Your orders
				</a>
			</div>
		);
	}
	if (added !== null) {
		return (
			<div class="account-confirmation" role="status">
				<p>
					{added === 0
						? 'There were no other orders with your email address to add.'
						: `${added === 1 ? 'One earlier order is' : `${added} earlier orders are`} now part of your account.`}
				</p>
				<a class="button button--primary" href={ordersUrl}>
					View your orders
				</a>
			</div>
		);
	}
	return (
		<div class="account-card">
			<p>Add the orders you placed as a guest with this account's email address to your order history?</p>
			<button type="button" class="button button--primary" disabled={sending} onClick={confirm}>
				{sending ? 'Adding…' : 'Add my orders'}
			</button>
			<p class="form-error" role="alert">
				{failure}
			</p>
		</div>
	);
}
