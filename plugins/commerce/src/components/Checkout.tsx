import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { configureAnalytics, track } from '../client/analytics.ts';
import { applyCode, removeCode, setShipping, storeClient } from '../client/cart-actions.ts';
import type { CartResult } from '../client/cart-store.ts';
import { cartStore, configureCart } from '../client/cart-store.ts';
import { StoreApiError } from '../client/store-client.ts';
import type { StoreCart, StoreCompleteResult, StoreCountry, StorePaymentConfig } from '../client/types.ts';
import { useCart } from '../client/use-cart.ts';
import { formatMoney } from '../core/money.ts';
import type { FormApi } from './checkout-fields.tsx';
import { AddressFields, Field, fieldId, ShippingOptions, StripeCard, TestCard } from './checkout-fields.tsx';
import type { Errors, Values } from './checkout-form.ts';
import {
	ADDRESS_FIELDS,
	detailsValid,
	fromAddress,
	sameAddress,
	toAddress,
	toCardData,
	validate,
} from './checkout-form.ts';
import {
	commitCart,
	forgetCart,
	needsConfirmation,
	pickProvider,
	selectProvider,
	TEST_CARDS,
} from './checkout-payment.ts';
import { NEW_ADDRESS, SavedAddressPicker, usableAddresses, useCheckoutCustomer } from './checkout-saved-addresses.tsx';
import type { StripePayment } from './checkout-stripe.ts';
import { ItemList, TotalsList } from './checkout-summary.tsx';
import { DiscountCodes } from './discount-codes.tsx';

export interface CheckoutProps {
	/** Store API base. @default '/store' */
	storeUrl?: string;
	/** @default '/cart/' */
	cartUrl?: string;
	/** Where an empty checkout sends shoppers. @default '/#catalog' */
	catalogUrl?: string;
	/** The order confirmation page; `?id=<order id>` is appended. @default '/order/confirmed/' */
	confirmationUrl?: string;
	/** Analytics beacon path (the plugin's `analyticsPath`). @default '/analytics/events' */
	analyticsUrl?: string;
}

/** A message for the summary region at the top of the form; `cartLink` when the fix is in the cart (stock ran out). */
interface Alert {
	message: string;
	cartLink?: boolean;
}

const PLACING = 'Placing your order…';

/**
 * The one-page checkout: contact, shipping address (limited to the cart region's countries), billing address,
 * shipping option, discount code, payment and the order summary. The details are saved to the cart as soon as they
 * are complete; "Place order" selects the payment session, sends the card (test provider) or confirms it (Stripe),
 * completes the cart and opens the confirmation page. Declines and stock problems are shown inline; the cart stays.
 *
 * Every change the page makes to the cart (details, shipping, codes, payment) runs through one queue, so no answer
 * overwrites a newer one and the controls are disabled while something is being sent.
 */
export default function Checkout({
	storeUrl,
	cartUrl = '/cart/',
	catalogUrl = '/#catalog',
	confirmationUrl = '/order/confirmed/',
	analyticsUrl,
}: CheckoutProps) {
	if (storeUrl) configureCart(storeUrl);
	if (analyticsUrl) configureAnalytics(analyticsUrl);
	const { cart, loaded, busy } = useCart();
	const [values, setValues] = useState<Values>({});
	const [touched, setTouched] = useState<Record<string, boolean>>({});
	const [billingSame, setBillingSame] = useState(true);
	const [config, setConfig] = useState<StorePaymentConfig | null>(null);
	const [pending, setPending] = useState('');
	const [alert, setAlert] = useState<Alert | null>(null);
	const [apiErrors, setApiErrors] = useState<Errors>({});
	// The details last saved to the cart, as the JSON of their body: state for rendering, a ref for queued tasks.
	const [savedKey, setSavedKeyState] = useState('');
	const saved = useRef('');
	const [confirming, setConfirming] = useState(false);
	// The shipping option clicked and not yet confirmed by the API.
	const [shippingChoice, setShippingChoice] = useState<string | null>(null);
	const [placed, setPlaced] = useState(false);
	const [clientSecret, setClientSecret] = useState('');
	const [stripeComplete, setStripeComplete] = useState(false);
	const chain = useRef<Promise<unknown>>(Promise.resolve());
	const stripe = useRef<StripePayment | null>(null);
	// Set from the click until the attempt ends: a second click before the re-render cannot queue a second attempt.
	const placing = useRef(false);

	const provider = pickProvider(config);
	const countries: StoreCountry[] = cart?.region?.countries ?? [];
	const customer = useCheckoutCustomer(storeUrl);
	const savedAddresses = usableAddresses(
		customer,
		countries.map((country) => country.iso_2),
	);
	// The saved address in the fields ('' until decided, NEW_ADDRESS when the shopper types one); a change saves.
	const [addressChoice, setAddressChoice] = useState('');
	const [autoSave, setAutoSave] = useState(0);
	const allErrors = validate(values, { billingSame, card: provider?.id === 'test' });
	const errors: Errors = { ...apiErrors };
	for (const [name, message] of Object.entries(allErrors)) if (touched[name]) errors[name] ??= message;
	const hasShipping = !!cart?.shipping_methods.length;

	// One checkout_start per page, once the cart is known (an empty checkout starts nothing).
	useEffect(() => {
		if (!cart?.items.length) return;
		const region = cart.region;
		track('checkout_start', {
			cart_id: cart.id,
			...(region ? { value: cart.total, currency: region.currency_code } : {}),
		});
	}, [cart?.id]);

	useEffect(() => {
		storeClient()
			.getPaymentConfig()
			.then(setConfig, (error: StoreApiError) =>
				setAlert({ message: `Payment is unavailable right now: ${error.message}` }),
			);
	}, []);

	// The form starts from what the cart already has (a shopper coming back after a decline or from the cart page).
	useEffect(() => {
		if (!cart || Object.keys(values).length) return;
		const country = cart.shipping_address?.country_code ?? countries[0]?.iso_2 ?? '';
		const initial: Values = {
			email: cart.email ?? '',
			'shipping.country_code': country,
			'billing.country_code': country,
			...fromAddress(cart.shipping_address, 'shipping'),
			...fromAddress(cart.billing_address, 'billing'),
		};
		const same = sameAddress(cart.shipping_address, cart.billing_address);
		setValues(initial);
		setBillingSame(same);
		// Already saved: no need to send the same details again.
		if (cart.email && cart.shipping_address?.address_1) setSavedKey(JSON.stringify(detailsBody(initial, same)));
	}, [cart?.id]);

	// A signed-in customer starts from their default saved address, unless the cart already has one.
	useEffect(() => {
		if (!cart || !customer || addressChoice) return;
		const current = cart.shipping_address;
		if (current?.address_1) {
			setAddressChoice(savedAddresses.find((a) => sameAddress(a, current))?.id ?? NEW_ADDRESS);
			return;
		}
		if (!savedAddresses[0]) return setAddressChoice(NEW_ADDRESS);
		chooseAddress(savedAddresses[0].id);
		setValues((values) => (values.email ? values : { ...values, email: customer.email }));
	}, [customer, cart?.id]);

	// Details filled in by a choice (not typed) are saved as soon as they are complete.
	useEffect(() => {
		if (autoSave) onDetailsLeft();
	}, [autoSave]);

	// Back from a Stripe redirect (a bank's page): the payment is confirmed, the order still has to be placed.
	useEffect(() => {
		if (!loaded || !cart) return;
		const status = new URLSearchParams(location.search).get('redirect_status');
		if (status === 'succeeded') void run(PLACING, () => finish(cart.id));
		else if (status)
			setAlert({ message: 'Your bank did not approve the payment. Please try again or use another payment method.' });
	}, [loaded]);

	// Stripe's element needs the PaymentIntent, created when its session is selected: once the total is known.
	const stripeWanted = provider?.id === 'stripe' && hasShipping && savedKey !== '';
	useEffect(() => {
		if (!stripeWanted) return;
		void run('Loading the payment form…', async () => {
			const current = await selectProvider(storeClient(), latestCart(), 'stripe');
			commitCart(current);
			setClientSecret(String(current.payment_session?.data.client_secret ?? ''));
		});
	}, [stripeWanted]);

	/**
	 * A shipping option stays clickable while the address is being saved: the click that takes the focus from the
	 * postal-code field is what starts that save, so disabling the radios would lose it. The choice shows at once and
	 * is sent after the save in the same queue.
	 */
	function chooseShipping(optionId: string): void {
		setShippingChoice(optionId);
		void runAction('Updating shipping…', () => setShipping(optionId)).finally(() =>
			setShippingChoice((current) => (current === optionId ? null : current)),
		);
	}

	/** Fills the shipping fields from a saved address (or empties them for a new one); a saved one is then saved to the cart. */
	function chooseAddress(id: string): void {
		setAddressChoice(id);
		const address = savedAddresses.find((a) => a.id === id);
		setValues((values) => {
			const next = { ...values };
			for (const field of ADDRESS_FIELDS) next[`shipping.${field.name}`] = '';
			return { ...next, ...fromAddress(address, 'shipping') };
		});
		if (address) setAutoSave((n) => n + 1);
	}

	function setSavedKey(key: string): void {
		saved.current = key;
		setSavedKeyState(key);
	}

	const form: FormApi = {
		values,
		errors,
		set(name, value) {
			setValues((current) => ({ ...current, [name]: value }));
			// Editing a saved address makes it a new one (the book keeps the saved one as it was).
			if (name.startsWith('shipping.') && addressChoice && addressChoice !== NEW_ADDRESS) setAddressChoice(NEW_ADDRESS);
			// A new card clears the refusal of the previous one.
			const stale = name.startsWith('card_') ? [name, 'payment'] : [name];
			if (stale.some((key) => apiErrors[key]))
				setApiErrors((current) => Object.fromEntries(Object.entries(current).filter(([key]) => !stale.includes(key))));
		},
		leave: (name) => setTouched((current) => (current[name] ? current : { ...current, [name]: true })),
	};

	/** The cart as the store holds it now (queued tasks run after renders their closure does not know of). */
	function latestCart(): StoreCart {
		const current = cartStore.get().cart;
		if (!current) throw new StoreApiError(404, 'not_found', 'Your cart is empty.');
		return current;
	}

	/** Runs `task` after the previous one; what it throws goes to the summary region. */
	function run<T>(label: string, task: () => Promise<T>): Promise<T | undefined> {
		const next = chain.current.then(async () => {
			setPending(label);
			try {
				return await task();
			} catch (error) {
				report(error);
				return undefined;
			} finally {
				setPending('');
			}
		});
		chain.current = next;
		return next;
	}

	/** A cart-store action (code, shipping) in the queue; its refusal is shown in `slot` and in the summary. */
	const runAction = (label: string, action: () => Promise<CartResult>, slot?: string) =>
		run(label, async () => {
			const result = await action();
			if (!result.ok && slot) setApiErrors((current) => ({ ...current, [slot]: result.error.message }));
			else if (!result.ok) setAlert({ message: result.error.message });
			else if (slot) setApiErrors(({ [slot]: _, ...rest }) => rest);
			return result.ok;
		});

	function report(error: unknown): void {
		if (!(error instanceof StoreApiError)) {
			// Not an API answer: a bug. Logged (tests fail on console errors), and the shopper still gets a message.
			console.error(error);
			setAlert({ message: 'Something went wrong. Please try again.' });
		} else setAlert({ message: error.message, cartLink: error.code === 'insufficient_inventory' });
	}

	/** The card was refused: the reason inline at the card and in the summary; the cart stays as it was. */
	function paymentFailed(message: string, field = 'payment'): void {
		setApiErrors((current) => ({ ...current, [field]: message }));
		setAlert({ message });
		setConfirming(false);
		requestAnimationFrame(() => document.getElementById(fieldId('card_number'))?.focus());
	}

	/** Saves email and addresses when they changed since the last save; answers the current cart. */
	async function saveDetails(): Promise<StoreCart> {
		const current = latestCart();
		const body = detailsBody(values, billingSame);
		const key = JSON.stringify(body);
		if (key === saved.current) return current;
		const updated = await storeClient().updateCart(current.id, body);
		setSavedKey(key);
		commitCart(updated);
		return updated;
	}

	/** When the shopper leaves a field and the details are complete, they are saved (shipping options follow). */
	function onDetailsLeft(): void {
		if (detailsValid(allErrors) && JSON.stringify(detailsBody(values, billingSame)) !== saved.current)
			void run('Saving your details…', saveDetails);
	}

	async function finish(cartId: string): Promise<void> {
		let result: StoreCompleteResult;
		try {
			result = await storeClient().completeCart(cartId);
		} catch (error) {
			if (!(error instanceof StoreApiError) || error.type !== 'payment_authorization_error') throw error;
			// The session now records the refusal: read the cart again so the next attempt starts from it.
			commitCart(await storeClient().getCart(cartId));
			return paymentFailed(error.message);
		}
		if (result.type === 'order') {
			setPlaced(true);
			forgetCart();
			location.assign(`${confirmationUrl}?id=${encodeURIComponent(result.data.id)}`);
			return;
		}
		commitCart(result.data);
		if (needsConfirmation(result.data)) setConfirming(true);
		else paymentFailed('The payment was not completed. Please try again or use another card.');
	}

	async function placeOrder(): Promise<void> {
		setAlert(null);
		setApiErrors({});
		const client = storeClient();
		let current = await selectProvider(client, await saveDetails(), provider!.id);
		commitCart(current);
		if (provider!.id === 'test') {
			try {
				current = await client.updatePaymentSession(current.id, 'test', toCardData(values));
			} catch (error) {
				// 400: the provider did not accept the number (the test provider knows only its test cards).
				if (error instanceof StoreApiError && error.status === 400) return paymentFailed(error.message, 'card_number');
				throw error;
			}
			commitCart(current);
		} else {
			const failure = stripe.current
				? await stripe.current.confirm(location.href.split('?')[0])
				: 'The card form is not ready yet.';
			if (failure) return paymentFailed(failure);
		}
		await finish(current.id);
	}

	async function confirmPayment(): Promise<void> {
		setAlert(null);
		const current = await storeClient().updatePaymentSession(latestCart().id, 'test', { confirm: true });
		commitCart(current);
		setConfirming(false);
		await finish(current.id);
	}

	if (placed)
		return (
			<p class="checkout-placed" role="status">
				Order placed. Opening your confirmation…
			</p>
		);
	if (!loaded)
		return (
			<p class="cart-loading" role="status">
				Loading your checkout…
			</p>
		);
	if (!cart || cart.items.length === 0) {
		return (
			<div class="empty-state">
				<p role="status">Your cart is empty, so there is nothing to check out.</p>
				<a class="button button--primary" href={catalogUrl}>
					Browse the catalog
				</a>
			</div>
		);
	}

	const money = (amount: number) => formatMoney(amount, cart.region?.currency_code ?? 'usd');
	const paymentReady =
		provider?.id === 'test' ? !Object.keys(allErrors).some((key) => key.startsWith('card_')) : stripeComplete;
	const missing = [
		!detailsValid(allErrors) && 'your contact details and address',
		!hasShipping && 'a shipping option',
		!provider && 'a payment method',
		provider && !paymentReady && 'your card details',
	].filter(Boolean);
	const working = !!pending || busy || shippingChoice !== null;
	const canPlace = missing.length === 0 && !working && !confirming;

	function submit(event: TargetedSubmitEvent<HTMLFormElement>) {
		event.preventDefault();
		// The button is disabled meanwhile, but Enter in a field submits too: never a second order attempt.
		if (canPlace) attempt(placeOrder);
	}

	function attempt(task: () => Promise<void>): void {
		if (placing.current) return;
		placing.current = true;
		void run(PLACING, task).finally(() => (placing.current = false));
	}

	return (
		<div class="checkout" aria-busy={working}>
			{/* The summary comes first in the page (issue 13): on phones it sits above the form, so it is read before
			    "Place order"; from 48em CSS places it in the right-hand column. */}
			<OrderSide
				cart={cart}
				money={money}
				disabled={working}
				error={apiErrors.code}
				onApply={(code) => runAction('Applying the code…', () => applyCode(code), 'code')}
				onRemove={(code) => runAction('Removing the code…', () => removeCode(code), 'code')}
			/>
			<form class="checkout__form" noValidate onSubmit={submit}>
				<div id="checkout-alert" class="checkout-alert" role="alert" aria-live="assertive">
					{alert && (
						<p>
							{alert.message}
							{alert.cartLink && (
								<>
									{' '}
									<a href={cartUrl}>Review your cart</a>
								</>
							)}
						</p>
					)}
				</div>
				<div class="checkout__details" onFocusOut={onDetailsLeft}>
					<section class="checkout-section" aria-labelledby="checkout-contact-title">
						<h2 id="checkout-contact-title">Contact</h2>
						<Field
							form={form}
							name="email"
							label="Email"
							type="email"
							autocomplete="email"
							hint="We send the order confirmation here."
						/>
					</section>
					<section class="checkout-section" aria-labelledby="checkout-shipping-title">
						<h2 id="checkout-shipping-title">Shipping address</h2>
						{savedAddresses.length > 0 && (
							<SavedAddressPicker
								addresses={savedAddresses}
								value={addressChoice}
								disabled={pending === PLACING}
								onChoose={chooseAddress}
							/>
						)}
						<AddressFields form={form} prefix="shipping" countries={countries} />
						<label class="checkout-check">
							<input
								type="checkbox"
								checked={billingSame}
								onChange={(event) => setBillingSame(event.currentTarget.checked)}
							/>
							Billing address same as shipping
						</label>
						{!billingSame && (
							<fieldset class="checkout-billing">
								<legend>Billing address</legend>
								<AddressFields form={form} prefix="billing" countries={countries} />
							</fieldset>
						)}
					</section>
				</div>
				<section class="checkout-section" aria-labelledby="checkout-method-title">
					<h2 id="checkout-method-title">Shipping method</h2>
					<ShippingOptions
						cart={cart}
						disabled={pending === PLACING || confirming}
						chosen={shippingChoice}
						money={money}
						savedKey={savedKey}
						onChoose={chooseShipping}
					/>
				</section>
				<section class="checkout-section" aria-labelledby="checkout-payment-title">
					<h2 id="checkout-payment-title">Payment</h2>
					{!config && !alert && <p>Loading payment options…</p>}
					{provider?.id === 'test' && (
						<TestCard form={form} cards={provider.test_cards?.length ? provider.test_cards : TEST_CARDS} />
					)}
					{provider?.id === 'stripe' &&
						(clientSecret ? (
							<StripeCard
								publishableKey={provider.publishable_key}
								clientSecret={clientSecret}
								onMount={(handle) => (stripe.current = handle)}
								onComplete={setStripeComplete}
							/>
						) : (
							<p class="variant-form__note">Enter your address and choose a shipping option to load the card form.</p>
						))}
					<p id="checkout-payment-error" class="form-error">
						{errors.payment}
					</p>
					{confirming ? (
						<div class="checkout-confirm" role="group" aria-labelledby="checkout-confirm-title">
							<h3 id="checkout-confirm-title">Confirm this test payment</h3>
							<p>
								This card asks for an extra confirmation. With a real card your bank would now show its own check (3-D
								Secure); in test mode that step is simulated here.
							</p>
							<div class="checkout-confirm__actions">
								<button
									type="button"
									class="button button--primary"
									disabled={working}
									onClick={() => attempt(confirmPayment)}
								>
									Confirm payment
								</button>
								<button type="button" class="button" disabled={working} onClick={() => setConfirming(false)}>
									Use another card
								</button>
							</div>
						</div>
					) : (
						<button
							type="submit"
							class="button button--primary button--block checkout__place"
							disabled={!canPlace}
							aria-describedby="checkout-place-note"
						>
							{pending === PLACING ? 'Placing order…' : `Place order · ${money(cart.total)}`}
						</button>
					)}
					<p id="checkout-place-note" class="variant-form__note" role="status">
						{pending || (missing.length ? `To place your order, add ${missing.join(', ')}.` : '')}
					</p>
				</section>
			</form>
		</div>
	);
}

/** The body of `POST /carts/:id` for the details form. */
function detailsBody(values: Values, billingSame: boolean) {
	const shipping = toAddress(values, 'shipping');
	return {
		email: (values.email ?? '').trim(),
		shipping_address: shipping,
		billing_address: billingSame ? shipping : toAddress(values, 'billing'),
	};
}

interface OrderSideProps {
	cart: StoreCart;
	money: (n: number) => string;
	disabled: boolean;
	error: string | undefined;
	onApply: (code: string) => Promise<boolean | undefined>;
	onRemove: (code: string) => void;
}

/** Items, discount code and the totals the API computed. */
function OrderSide({ cart, money, disabled, error, onApply, onRemove }: OrderSideProps) {
	return (
		<aside class="checkout__summary cart__summary" aria-labelledby="checkout-summary-title">
			<h2 id="checkout-summary-title">Order summary</h2>
			<ItemList items={cart.items} money={money} />
			<DiscountCodes
				idPrefix="checkout"
				discounts={cart.discounts}
				disabled={disabled}
				error={error}
				onApply={onApply}
				onRemove={onRemove}
			/>
			<TotalsList totals={cart} money={money} shippingPending={!cart.shipping_methods.length} />
		</aside>
	);
}
