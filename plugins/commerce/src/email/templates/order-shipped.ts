import { lineName } from '../../core/line-name.ts';
import { html, renderLayout } from './layout.ts';
import type { RenderedEmail } from './order-confirmation.ts';

/** Everything the shipping notice needs. */
export interface OrderShippedInput {
	displayId: number;
	email: string;
	carrier: string;
	trackingNumber: string;
	items: { title: string; variantTitle: string | null; quantity: number }[];
	/** Absolute link to the order page. */
	orderUrl: string;
	shopName: string;
}

/** Renders the notice sent when the merchant ships an order: carrier, tracking number and what is in the parcel. */
export function orderShippedEmail(input: OrderShippedInput): RenderedEmail {
	const subject = `Order #${input.displayId} shipped — ${input.shopName}`;
	const items = input.items.map((item) => `${item.quantity} × ${lineName(item.title, item.variantTitle)}`);
	const text = [
		`Order #${input.displayId} is on its way.`,
		'',
		`Carrier: ${input.carrier}`,
		`Tracking number: ${input.trackingNumber}`,
		'',
		'Items',
		...items.map((item) => `- ${item}`),
		'',
		`View your order: ${input.orderUrl}`,
		'',
		input.shopName,
		'',
	].join('\n');
	const content = html`<h1 style="margin:0 0 8px;font-size:22px;">Order #${input.displayId} shipped</h1>
<p style="margin:0 0 16px;">Your order is on its way. This notice was sent to ${input.email}.</p>
<p style="margin:0 0 4px;">Carrier: <strong>${input.carrier}</strong></p>
<p style="margin:0 0 16px;">Tracking number: <strong>${input.trackingNumber}</strong></p>
${items.map(
	(item) => html`<div style="padding:6px 0;border-bottom:1px solid #e5e7eb;">${item}</div>
`,
)}
<p style="margin:16px 0 8px;"><a href="${input.orderUrl}" style="display:inline-block;background:#14213d;color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;font-weight:bold;">Track your order</a></p>`;
	return {
		subject,
		text,
		html: renderLayout({
			shopName: input.shopName,
			title: subject,
			preheader: `Order #${input.displayId} was shipped with ${input.carrier}.`,
			content,
		}),
	};
}
