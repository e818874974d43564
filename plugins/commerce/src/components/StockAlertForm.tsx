import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';

export interface StockAlertFormProps {
	variantId: string;
	/** Store API base. @default '/store' */
	storeUrl?: string;
}

/**
 * "Email me when it's back" for a sold-out variant (no account needed). The request is confirmed from an email
 * (double opt-in); the store then emails once when the variant is restocked.
 */
export default function StockAlertForm({ variantId, storeUrl = '/store' }: StockAlertFormProps) {
	const [email, setEmail] = useState('');
	const [message, setMessage] = useState('');
	const [busy, setBusy] = useState(false);

	async function submit(event: TargetedSubmitEvent<HTMLFormElement>) {
		event.preventDefault();
		setBusy(true);
		setMessage('');
		try {
			const response = await fetch(`${storeUrl.replace(/\/+$/, '')}/stock-alerts`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json' },
				credentials: 'same-origin',
				body: JSON.stringify({ variant_id: variantId, email }),
			});
			const body = (await response.json().catch(() => null)) as {
				message?: string;
				stock_alert?: { status: string };
			} | null;
			if (!response.ok) setMessage(body?.message ?? 'That did not work. Please try again.');
			else if (body?.stock_alert?.status === 'confirmed') setMessage('You are on the list: we will email you once.');
			else setMessage('Check your inbox and confirm: then we email you once when it is back.');
		} catch {
			setMessage('The store could not be reached. Check your connection and try again.');
		} finally {
			setBusy(false);
		}
	}

	return (
		<form class="stock-alert" onSubmit={submit} aria-label="Back-in-stock alert">
			<label for={`stock-alert-${variantId}`}>Email me when it's back</label>
			<input
				id={`stock-alert-${variantId}`}
				type="email"
				required
				autocomplete="email"
				value={email}
				onInput={(e) => setEmail(e.currentTarget.value)}
			/>
			<button type="submit" class="button" disabled={busy}>
				{busy ? 'Sending…' : 'Notify me'}
			</button>
			<p role="status">{message}</p>
		</form>
	);
}
