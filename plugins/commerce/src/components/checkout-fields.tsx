import { useEffect, useRef, useState } from 'preact/hooks';
import { storeClient } from '../client/cart-actions.ts';
import type { StoreCart, StoreCountry, StoreShippingOption } from '../client/types.ts';
import type { Errors, Values } from './checkout-form.ts';
import { ADDRESS_FIELDS } from './checkout-form.ts';
import type { StripePayment } from './checkout-stripe.ts';

// The checkout's form controls. Each input has its label, an error paragraph it is described by, and aria-invalid.

/** What the fields need from the form: values, the errors to show now, and change/leave handlers. */
export interface FormApi {
	values: Values;
	errors: Errors;
	set(name: string, value: string): void;
	/** The shopper left the field: its validation error may show from now on. */
	leave(name: string): void;
}

/** The id of a field's input (`shipping.city` → `checkout-shipping-city`). */
export const fieldId = (name: string) => `checkout-${name.replace('.', '-')}`;

interface FieldProps {
	form: FormApi;
	name: string;
	label: string;
	hint?: string;
	type?: string;
	autocomplete?: string;
	inputmode?: string;
	placeholder?: string;
	maxLength?: number;
	class?: string;
	/** Another element describing the input too (the card number: the payment's refusal). */
	describedBy?: string;
}

export function Field({ form, name, label, hint, class: className, describedBy, ...input }: FieldProps) {
	const id = fieldId(name);
	const error = form.errors[name];
	const described = [hint && `${id}-hint`, `${id}-error`, describedBy].filter(Boolean).join(' ');
	return (
		<div class={className ? `field ${className}` : 'field'}>
			<label for={id}>{label}</label>
			{hint && (
				<span id={`${id}-hint`} class="field__hint">
					{hint}
				</span>
			)}
			<input
				id={id}
				name={name}
				value={form.values[name] ?? ''}
				onInput={(event) => form.set(name, event.currentTarget.value)}
				onBlur={() => form.leave(name)}
				aria-invalid={!!error || undefined}
				aria-describedby={described}
				{...input}
			/>
			<p id={`${id}-error`} class="form-error">
				{error}
			</p>
		</div>
	);
}

/** An address (`prefix` = `shipping` or `billing`) with a country select limited to the cart region's countries. */
export function AddressFields({
	form,
	prefix,
	countries,
}: {
	form: FormApi;
	prefix: string;
	countries: StoreCountry[];
}) {
	const countryName = `${prefix}.country_code`;
	const id = fieldId(countryName);
	return (
		<div class="checkout-grid">
			{ADDRESS_FIELDS.map((field) => (
				<Field
					key={field.name}
					form={form}
					name={`${prefix}.${field.name}`}
					label={field.name === 'province' && form.values[countryName] === 'us' ? 'State' : field.label}
					type={field.type ?? 'text'}
					autocomplete={`${prefix} ${field.autocomplete}`}
					class={field.name.startsWith('address') ? 'field--wide' : undefined}
				/>
			))}
			<div class="field">
				<label for={id}>Country</label>
				<select
					id={id}
					name={countryName}
					autocomplete={`${prefix} country`}
					value={form.values[countryName] ?? ''}
					onChange={(event) => form.set(countryName, event.currentTarget.value)}
					aria-invalid={!!form.errors[countryName] || undefined}
					aria-describedby={`${id}-error`}
				>
					{countries.map((country) => (
						<option key={country.iso_2} value={country.iso_2}>
							{country.display_name}
						</option>
					))}
				</select>
				<p id={`${id}-error`} class="form-error">
					{form.errors[countryName]}
				</p>
			</div>
		</div>
	);
}

/** The test provider: the "Test mode" notice with its cards (each fills the number in) and the card form. */
export function TestCard({ form, cards }: { form: FormApi; cards: { number: string; label: string }[] }) {
	return (
		<div class="checkout-card">
			<div class="checkout-test" role="note" aria-labelledby="checkout-test-title">
				<p id="checkout-test-title" class="checkout-test__title">
					Test mode — no real charges
				</p>
				<p>Use one of these card numbers with any future expiry date and any CVC:</p>
				<ul class="checkout-test__cards" role="list">
					{cards.map((card) => (
						<li key={card.number}>
							<button
								type="button"
								class="link-button"
								onClick={() => form.set('card_number', card.number)}
								aria-label={`Use test card ${card.number}`}
							>
								<code>{card.number}</code>
							</button>{' '}
							{card.label}
						</li>
					))}
				</ul>
			</div>
			<div class="checkout-grid checkout-grid--card">
				<Field
					form={form}
					name="card_number"
					label="Card number"
					autocomplete="cc-number"
					inputmode="numeric"
					maxLength={23}
					class="field--wide"
					describedBy="checkout-payment-error"
				/>
				<Field
					form={form}
					name="card_expiry"
					label="Expiry (MM/YY)"
					autocomplete="cc-exp"
					inputmode="numeric"
					placeholder="MM/YY"
					maxLength={7}
				/>
				<Field form={form} name="card_cvc" label="CVC" autocomplete="cc-csc" inputmode="numeric" maxLength={4} />
			</div>
		</div>
	);
}

interface ShippingOptionsProps {
	cart: StoreCart;
	disabled: boolean;
	/** The option clicked while its save waits in the queue: shown checked until the cart answers. */
	chosen?: string | null;
	money: (amount: number) => string;
	/** Changes whenever the address was saved: the options are fetched again. */
	savedKey: string;
	onChoose: (optionId: string) => void;
}

/** The cart's shipping options as radios; the checked one is the cart's shipping method. */
export function ShippingOptions({ cart, disabled, chosen, money, savedKey, onChoose }: ShippingOptionsProps) {
	const [options, setOptions] = useState<StoreShippingOption[] | null>(null);
	const [error, setError] = useState('');
	const selected = chosen ?? cart.shipping_methods[0]?.shipping_option_id;

	// Options depend on the subtotal and the address, so they are fetched again whenever either changes.
	useEffect(() => {
		let current = true;
		storeClient()
			.listShippingOptions(cart.id)
			.then(
				(list) => {
					if (!current) return;
					setOptions(list);
					setError('');
				},
				(failure: Error) => current && setError(failure.message),
			);
		return () => {
			current = false;
		};
	}, [cart.id, cart.subtotal, cart.region_id, savedKey]);

	return (
		<fieldset class="option-group cart-shipping">
			<legend class="visually-hidden">Shipping method</legend>
			{options === null && !error && <p>Loading shipping options…</p>}
			{options?.length === 0 && <p>No shipping options are available for this cart.</p>}
			{options?.map((option) => (
				<label class="cart-shipping__option" key={option.id}>
					<input
						type="radio"
						name="shipping-option"
						value={option.id}
						checked={selected === option.id}
						disabled={disabled}
						onChange={() => onChoose(option.id)}
					/>
					<span class="cart-shipping__name">{option.name}</span>
					<span class="cart-shipping__price">
						{option.amount === null ? '' : option.amount === 0 ? 'Free' : money(option.amount)}
					</span>
				</label>
			))}
			<p class="form-error">{error}</p>
		</fieldset>
	);
}

interface StripeCardProps {
	publishableKey: string;
	clientSecret: string;
	onMount: (handle: StripePayment | null) => void;
	onComplete: (complete: boolean) => void;
}

/** Stripe's Payment Element; its module and Stripe.js load only when this renders. */
export function StripeCard({ publishableKey, clientSecret, onMount, onComplete }: StripeCardProps) {
	const container = useRef<HTMLDivElement>(null);
	const [error, setError] = useState('');
	useEffect(() => {
		let live = true;
		let handle: StripePayment | undefined;
		import('./checkout-stripe.ts')
			.then(({ mountStripe }) => mountStripe(publishableKey, clientSecret, container.current!, onComplete))
			.then(
				(mounted) => {
					if (!live) return mounted.destroy();
					handle = mounted;
					onMount(mounted);
				},
				(failure: Error) => live && setError(failure.message),
			);
		return () => {
			live = false;
			handle?.destroy();
			onMount(null);
		};
	}, [publishableKey, clientSecret]);
	return (
		<div class="checkout-stripe">
			<div ref={container} />
			<p class="form-error">{error}</p>
		</div>
	);
}
