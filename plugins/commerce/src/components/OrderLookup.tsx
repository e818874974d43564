import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { createStoreClient, type StoreApiError } from '../client/store-client.ts';
import type { StoreOrder } from '../client/types.ts';
import { parseOrderNumber, retryText } from './checkout-order.ts';
import { OrderSummary } from './OrderConfirmation.tsx';

export interface OrderLookupProps {
	/** Store API base. @default '/store' */
	storeUrl?: string;
}

type Field = 'order' | 'email' | 'postal';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Guest order lookup: order number, email and postal code of the shipping address (all three must match, and the
 * API limits attempts). Shows the order with its status; "not found" and "too many attempts" appear inline.
 */
export default function OrderLookup({ storeUrl }: OrderLookupProps) {
	const [values, setValues] = useState<Record<Field, string>>({ order: '', email: '', postal: '' });
	const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
	const [failure, setFailure] = useState('');
	const [sending, setSending] = useState(false);
	const [order, setOrder] = useState<StoreOrder | null>(null);
	const result = useRef<HTMLDivElement>(null);

	// The confirmation page and the order emails link here with the order number and email filled in.
	useEffect(() => {
		const query = new URLSearchParams(location.search);
		const number = query.get('order');
		const email = query.get('email');
		if (number || email)
			setValues((current) => ({ ...current, order: number ?? current.order, email: email ?? current.email }));
	}, []);
	useEffect(() => {
		if (order) result.current?.focus();
	}, [order]);

	async function submit(event: TargetedSubmitEvent<HTMLFormElement>) {
		event.preventDefault();
		if (sending) return;
		const displayId = parseOrderNumber(values.order);
		const found: Partial<Record<Field, string>> = {};
		if (displayId === null) found.order = 'Enter the order number from your confirmation email, such as 1001.';
		if (!EMAIL.test(values.email.trim())) found.email = 'Enter the email address you used at checkout.';
		if (!values.postal.trim()) found.postal = 'Enter the postal code of the shipping address.';
		setErrors(found);
		setFailure('');
		if (Object.keys(found).length) {
			document.getElementById(`lookup-${Object.keys(found)[0]}`)?.focus();
			return;
		}
		setSending(true);
		setOrder(null);
		try {
			setOrder(
				await createStoreClient(storeUrl).lookupOrder({
					display_id: displayId!,
					email: values.email.trim(),
					postal_code: values.postal.trim(),
				}),
			);
		} catch (error) {
			const apiError = error as StoreApiError;
			if (apiError.status === 404) {
				setFailure(
					'No order matches these details. Check the order number in your confirmation email, the email address and the postal code of the shipping address.',
				);
			} else if (apiError.status === 429) {
				const wait = apiError.retryAfter ? retryText(apiError.retryAfter) : 'in a few minutes';
				setFailure(`Too many attempts. For the security of our shoppers' orders, please try again ${wait}.`);
			} else {
				setFailure(apiError.message);
			}
		} finally {
			setSending(false);
		}
	}

	const field = (name: Field, label: string, props: Record<string, string>) => (
		<div class="field">
			<label for={`lookup-${name}`}>{label}</label>
			<input
				id={`lookup-${name}`}
				name={name}
				value={values[name]}
				onInput={(event) => setValues((current) => ({ ...current, [name]: event.currentTarget.value }))}
				aria-invalid={!!errors[name] || undefined}
				aria-describedby={`lookup-${name}-error`}
				{...props}
			/>
			<p id={`lookup-${name}-error`} class="form-error">
				{errors[name]}
			</p>
		</div>
	);

	return (
		<div class="order-lookup">
			<form class="order-lookup__form cart__summary" noValidate onSubmit={submit}>
				{field('order', 'Order number', { inputmode: 'numeric', autocomplete: 'off', placeholder: '1001' })}
				{field('email', 'Email', { type: 'email', autocomplete: 'email' })}
				{field('postal', 'Postal code', { autocomplete: 'postal-code' })}
				<button type="submit" class="button button--primary" disabled={sending}>
					{sending ? 'Looking up…' : 'Find my order'}
				</button>
				<p id="lookup-failure" class="form-error" role="alert">
					{failure}
				</p>
			</form>
			<div ref={result} tabIndex={-1} class="order-lookup__result" aria-live="polite">
				{order && <OrderSummary order={order} />}
			</div>
		</div>
	);
}
