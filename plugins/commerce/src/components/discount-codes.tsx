import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import type { StoreDiscount } from '../client/types.ts';

export interface DiscountCodesProps {
	/** Prefix of the element ids (`<prefix>-code`, `<prefix>-error`), unique on the page. */
	idPrefix: string;
	discounts: StoreDiscount[];
	disabled: boolean;
	/** The API's message for the last refused code. */
	error: string | undefined;
	/** Applies a code; resolves true when it was accepted (the field is then cleared). */
	onApply: (code: string) => Promise<boolean | undefined>;
	onRemove: (code: string) => void;
}

/** The discount-code field with the codes already applied: one form for the cart page and the checkout. */
export function DiscountCodes({ idPrefix, discounts, disabled, error, onApply, onRemove }: DiscountCodesProps) {
	const [code, setCode] = useState('');
	const inputId = `${idPrefix}-code`;
	const errorId = `${idPrefix}-error`;

	async function submit(event: TargetedSubmitEvent<HTMLFormElement>) {
		event.preventDefault();
		const trimmed = code.trim();
		if (trimmed && (await onApply(trimmed))) setCode('');
	}

	return (
		<div class="cart-discount">
			<form class="cart-discount__form" onSubmit={submit}>
				<label for={inputId}>Discount code</label>
				<div class="cart-discount__row">
					<input
						id={inputId}
						name="code"
						autocomplete="off"
						autocapitalize="characters"
						spellcheck={false}
						value={code}
						onInput={(event) => setCode(event.currentTarget.value)}
						aria-invalid={!!error || undefined}
						aria-describedby={errorId}
					/>
					<button type="submit" class="button" disabled={disabled || !code.trim()}>
						Apply
					</button>
				</div>
			</form>
			<p id={errorId} class="form-error" role="alert">
				{error}
			</p>
			{discounts.length > 0 && (
				<ul class="cart-discount__codes" role="list" aria-label="Applied codes">
					{discounts.map((discount) => (
						<li key={discount.code}>
							<span class="tag-code">{discount.code}</span>
							<button
								type="button"
								class="button"
								disabled={disabled}
								onClick={() => onRemove(discount.code)}
								aria-label={`Remove code ${discount.code}`}
							>
								Remove
							</button>
						</li>
					))}
				</ul>
			)}
		</div>
	);
}
