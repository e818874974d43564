import { useState } from 'preact/hooks';
import { createAccountClient } from '../client/account-client.ts';
import type { StoreApiError } from '../client/store-client.ts';
import { formatMoney } from '../core/money.ts';
import { ConfirmButton } from './account-fields.tsx';
import { failureText, LOGIN_URL, redirectToLogin, useCustomerData } from './account-form.ts';
import type { TimelineStep } from './account-orders.ts';
import { formatDate, formatDateTime, isCancelable, isCanceled, orderTimeline } from './account-orders.ts';
import { addressLines, orderStatusText } from './checkout-order.ts';
import { ItemList, TotalsList } from './checkout-summary.tsx';

export interface OrderTrackingProps {
	/** The order's id (from the page's URL). */
	orderId: string;
	/** Store API base. @default '/store' */
	storeUrl?: string;
	/** @default '/account/login/' */
	loginUrl?: string;
	/** The order history. @default '/account/orders/' */
	ordersUrl?: string;
}

/**
 * One order of the signed-in customer: its status timeline (placed → paid → processing → shipped with carrier and
 * tracking number → delivered, or canceled/refunded), items, totals and address, and a Cancel button while nothing
 * has been packed. The API answers 404 for another customer's order, which reads as "not in your account".
 */
export default function OrderTracking({
	orderId,
	storeUrl,
	loginUrl = LOGIN_URL,
	ordersUrl = '/account/orders/',
}: OrderTrackingProps) {
	const [state, setOrder, retry] = useCustomerData(() => createAccountClient(storeUrl).getOrder(orderId), loginUrl);
	const [canceling, setCanceling] = useState(false);
	const [failure, setFailure] = useState('');
	const [status, setStatus] = useState('');

	if (state.kind === 'loading') return <p role="status">Loading your order…</p>;
	if (state.kind === 'error') {
		const missing = state.status === 404;
		return (
			<div class="empty-state" role="alert">
				<p>
					{missing
						? 'We could not find this order in your account.'
						: `The order could not be loaded: ${state.message}`}
				</p>
				<p class="order-missing__actions">
					<a class="button button--primary" href={ordersUrl}>
						Your orders
					</a>
					{!missing && (
						<button type="button" class="button" onClick={retry}>
							Try again
						</button>
					)}
				</p>
			</div>
		);
	}

	const order = state.data;
	async function cancel() {
		if (canceling) return;
		setCanceling(true);
		setFailure('');
		try {
			const canceled = await createAccountClient(storeUrl).cancelOrder(order.id);
			setOrder(canceled);
			setStatus(`Order #${canceled.display_id} has been canceled.`);
			// The button that had focus is gone: continue from the status section.
			document.getElementById('order-timeline-title')?.focus();
		} catch (error) {
			const apiError = error as StoreApiError;
			if (apiError.status === 401) return redirectToLogin(loginUrl);
			setFailure(failureText(apiError));
			// The order may have moved on meanwhile (packed, shipped): show its current state.
			if (apiError.status === 409 || apiError.status === 400) retry();
		} finally {
			setCanceling(false);
		}
	}

	const money = (amount: number) => formatMoney(amount, order.currency_code);
	const canceled = isCanceled(order);
	const payment = orderStatusText(order).payment;
	const steps = orderTimeline(order);
	// The badge names the latest step reached, so it always agrees with the timeline below it.
	const latest = steps.filter((step) => step.done).at(-1);
	return (
		<div class="order-tracking" data-order-id={order.id}>
			<div class="order-tracking__header">
				<h2 data-order-number={order.display_id}>Order #{order.display_id}</h2>
				<p class="section__meta">
					Placed <time dateTime={order.created_at}>{formatDate(order.created_at)}</time> · Payment: {payment}
				</p>
				<p
					class={`order-state${canceled ? ' order-state--canceled' : ''}`}
					data-order-state={canceled ? 'canceled' : order.fulfillment_status}
				>
					{canceled ? 'Canceled' : (latest?.label ?? orderStatusText(order).shipping)}
				</p>
			</div>

			<section class="account-card" aria-labelledby="order-timeline-title">
				<h2 id="order-timeline-title" tabIndex={-1}>
					Status
				</h2>
				<Timeline steps={steps} />
				{isCancelable(order) && (
					<div class="order-cancel">
						<p>Changed your mind? You can cancel until we start packing your order.</p>
						<ConfirmButton
							label="Cancel order"
							question={`Cancel order #${order.display_id}? Your payment will be released or refunded.`}
							confirmLabel={canceling ? 'Canceling…' : 'Yes, cancel order'}
							keepLabel="Keep my order"
							busy={canceling}
							onConfirm={cancel}
						/>
					</div>
				)}
				<p class="form-error" role="alert">
					{failure}
				</p>
				<p class="form-status form-success" role="status">
					{status}
				</p>
			</section>

			<div class="order-layout">
				<section class="cart__summary" aria-labelledby="order-items-title">
					<h2 id="order-items-title">Items</h2>
					<ItemList items={order.items} money={money} />
					<TotalsList totals={order} money={money} />
				</section>
				{order.shipping_address && (
					<section class="account-card order-address" aria-labelledby="order-address-title">
						<h2 id="order-address-title">Shipping to</h2>
						<address>
							{addressLines(order.shipping_address).map((line) => (
								<span key={line}>{line}</span>
							))}
						</address>
						{order.shipping_methods?.[0]?.shipping_option?.name && (
							<p class="variant-form__note">{order.shipping_methods[0].shipping_option.name}</p>
						)}
					</section>
				)}
			</div>
		</div>
	);
}

/** The steps as an ordered list; the latest one reached is the current step. */
export function Timeline({ steps }: { steps: TimelineStep[] }) {
	const current = steps.reduce((last, step, index) => (step.done ? index : last), -1);
	return (
		<ol class="order-timeline" role="list">
			{steps.map((step, index) => (
				<li
					key={step.key}
					class={`order-timeline__step order-timeline__step--${step.done ? 'done' : 'upcoming'} order-timeline__step--${step.key}`}
					data-step={step.key}
					data-done={step.done ? 'true' : 'false'}
					aria-current={index === current ? 'step' : undefined}
				>
					<span class="order-timeline__label">
						{step.label}
						<span class="visually-hidden">{step.done ? ' (done)' : ' (not yet)'}</span>
					</span>
					{step.at && step.done && (
						<time class="order-timeline__time" dateTime={step.at}>
							{formatDateTime(step.at)}
						</time>
					)}
					{step.tracking && (
						<span class="order-timeline__detail" data-tracking>
							{step.tracking.carrier && <>With {step.tracking.carrier}. </>}
							{step.tracking.number && (
								<>
									Tracking number <code data-tracking-number>{step.tracking.number}</code>
								</>
							)}
						</span>
					)}
					{step.detail && <span class="order-timeline__detail">{step.detail}</span>}
				</li>
			))}
		</ol>
	);
}
