/**
 * Stripe's Payment Element for the checkout. This module is imported dynamically, and it loads `@stripe/stripe-js`
 * (which adds https://js.stripe.com to the page) only when called, so neither is part of any page's bundle until the
 * store actually takes payments through Stripe.
 */

export interface StripePayment {
	/** Confirms the PaymentIntent with the details in the element; resolves with a message for the shopper on failure. */
	confirm(returnUrl: string): Promise<string | null>;
	destroy(): void;
}

/** Mounts the Payment Element for `clientSecret` (from `cart.payment_session.data`) into `container`. */
export async function mountStripe(
	publishableKey: string,
	clientSecret: string,
	container: HTMLElement,
	onComplete: (complete: boolean) => void,
): Promise<StripePayment> {
	const { loadStripe } = await import('@stripe/stripe-js');
	const stripe = await loadStripe(publishableKey);
	if (!stripe) throw new Error('The card form could not be loaded. Reload the page to try again.');
	const elements = stripe.elements({
		clientSecret,
		appearance: {
			theme: 'stripe',
			variables: { colorPrimary: '#14213d', borderRadius: '8px', fontFamily: 'system-ui, sans-serif' },
		},
	});
	const element = elements.create('payment');
	element.on('change', (event) => onComplete(event.complete));
	element.mount(container);
	return {
		async confirm(returnUrl) {
			// Cards settle here; methods that must leave the page (bank redirects) come back to `returnUrl`.
			const { error } = await stripe.confirmPayment({
				elements,
				redirect: 'if_required',
				confirmParams: { return_url: returnUrl },
			});
			return error ? (error.message ?? 'Your payment could not be confirmed. Please try again.') : null;
		},
		destroy: () => element.destroy(),
	};
}
