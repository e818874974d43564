import { lineName } from '../../core/line-name.ts';
import type { EmailShop } from './layout.ts';
import { emailButton, html, renderLayout, textSignature } from './layout.ts';
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
	/** Footer (address, support contact) and colour. */
	shop: EmailShop;
}

/**
 * The carriers' own tracking pages, by the names merchants type into the ship form (lower-cased, spaces and dots
 * dropped). A carrier not listed gets no link: the number is still in the email and on the order page.
 */
const TRACKING_PAGES: Record<string, (number: string) => string> = {
	usps: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`,
	ups: (n) => `https://www.ups.com/track?tracknum=${n}`,
	fedex: (n) => `https://www.fedex.com/fedextrack/?trknbr=${n}`,
	dhl: (n) => `https://www.dhl.com/en/express/tracking.html?AWB=${n}`,
	dhlexpress: (n) => `https://www.dhl.com/en/express/tracking.html?AWB=${n}`,
	dpd: (n) => `https://tracking.dpd.de/status/en_US/parcel/${n}`,
	gls: (n) => `https://gls-group.com/track/${n}`,
	royalmail: (n) => `https://www.royalmail.com/track-your-item#/tracking-results/${n}`,
	canadapost: (n) => `https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=${n}`,
	postnl: (n) => `https://postnl.nl/tracktrace/?B=${n}`,
};

/** The carrier's tracking page for this parcel, or null for a carrier we have no page for. */
export function trackingUrl(carrier: string, trackingNumber: string): string | null {
	const key = carrier.toLowerCase().replace(/[\s.\-_]/g, '');
	const number = trackingNumber.trim();
	// hasOwn: a carrier typed as "constructor" must not reach Object.prototype.
	if (!number || !Object.hasOwn(TRACKING_PAGES, key)) return null;
	return TRACKING_PAGES[key]?.(encodeURIComponent(number)) ?? null;
}

/** Renders the notice sent when the merchant ships an order: carrier, tracking link and what is in the parcel. */
export function orderShippedEmail(input: OrderShippedInput): RenderedEmail {
	const subject = `Order #${input.displayId} shipped — ${input.shopName}`;
	const items = input.items.map((item) => `${item.quantity} × ${lineName(item.title, item.variantTitle)}`);
	const tracking = trackingUrl(input.carrier, input.trackingNumber);
	const text = [
		`Order #${input.displayId} is on its way.`,
		'',
		`Carrier: ${input.carrier}`,
		`Tracking number: ${input.trackingNumber}`,
		...(tracking ? [`Track your parcel: ${tracking}`] : []),
		'',
		'Items',
		...items.map((item) => `- ${item}`),
		'',
		`View your order: ${input.orderUrl}`,
		'',
		...textSignature(input.shopName, input.shop),
	].join('\n');
	const content = html`<h1 style="margin:0 0 8px;font-size:22px;">Order #${input.displayId} shipped</h1>
<p style="margin:0 0 16px;">Your order is on its way. This notice was sent to ${input.email}.</p>
<p style="margin:0 0 4px;">Carrier: <strong>${input.carrier}</strong></p>
<p style="margin:0 0 16px;">Tracking number: <strong>${input.trackingNumber}</strong></p>
${tracking ? html`<p style="margin:0 0 16px;">${emailButton(tracking, `Track your parcel with ${input.carrier}`, input.shop)}</p>` : ''}
${items.map(
	(item) => html`<div style="padding:6px 0;border-bottom:1px solid #e5e7eb;">${item}</div>
`,
)}
<p style="margin:16px 0 8px;"><a href="${input.orderUrl}" style="color:#374151;font-weight:bold;">View your order</a></p>`;
	return {
		subject,
		text,
		html: renderLayout({
			shopName: input.shopName,
			title: subject,
			preheader: `Order #${input.displayId} was shipped with ${input.carrier}.`,
			content,
			shop: input.shop,
		}),
	};
}
