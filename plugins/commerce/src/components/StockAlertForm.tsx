import type { TargetedSubmitEvent } from 'preact';
import { Component } from 'preact';

export interface StockAlertFormProps {
	variantId: string;
	/** Store API base. @default '/store' */
	storeUrl?: string;
}

interface StockAlertFormState {
	email: string;
	message: string;
	busy: boolean;
}

/**
 * "Email me when it's back" for a sold-out variant (no account needed). The request is confirmed from an email
 * (double opt-in); the store then emails once when the variant is restocked. A class component: AddToCart loads it on
 * the product page, where Preact's hooks (1.2 KB gz) would be loaded for it alone (the page's budget is 12 KB gz).
 */
export default class StockAlertForm extends Component<StockAlertFormProps, StockAlertFormState> {
	state: StockAlertFormState = { email: '', message: '', busy: false };

	submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
		event.preventDefault();
		const { variantId, storeUrl = '/store' } = this.props;
		this.setState({ busy: true, message: '' });
		let message: string;
		try {
			const response = await fetch(`${storeUrl.replace(/\/+$/, '')}/stock-alerts`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json' },
				credentials: 'same-origin',
				body: JSON.stringify({ variant_id: variantId, email: this.state.email }),
			});
			const body = (await response.json().catch(() => null)) as {
				message?: string;
				stock_alert?: { status: string };
			} | null;
			if (!response.ok) message = body?.message ?? 'That did not work. Please try again.';
			else if (body?.stock_alert?.status === 'confirmed') message = 'You are on the list: we will email you once.';
			else message = 'Check your inbox and confirm: then we email you once when it is back.';
		} catch {
			message = 'The store could not be reached. Check your connection and try again.';
		}
		this.setState({ busy: false, message });
	};

	render({ variantId }: StockAlertFormProps, { email, message, busy }: StockAlertFormState) {
		return (
			<form class="stock-alert" onSubmit={this.submit} aria-label="Back-in-stock alert">
				<label for={`stock-alert-${variantId}`}>Email me when it's back</label>
				<input
					id={`stock-alert-${variantId}`}
					type="email"
					required
					autocomplete="email"
					value={email}
					onInput={(e) => this.setState({ email: e.currentTarget.value })}
				/>
				<button type="submit" class="button" disabled={busy}>
					{busy ? 'Sending…' : 'Notify me'}
				</button>
				<p role="status">{message}</p>
			</form>
		);
	}
}
