import type { EmailShop } from './layout.ts';
import { html, renderLayout, textSignature } from './layout.ts';
import type { RenderedEmail } from './order-confirmation.ts';

/** The shop's answer to a contact-form message, with the conversation so far. */
export interface ContactReplyInput {
	/** The customer's name as they gave it. */
	name: string;
	/** The subject of their message; the email's subject is "Re: " and it. */
	subject: string;
	/** The answer being sent. */
	reply: string;
	/** The thread before this answer, oldest first: their message, then earlier answers. */
	thread: { from: string; at: string; text: string }[];
	shopName: string;
	/** Footer (address, support contact) and colour. */
	shop: EmailShop;
}

/** Renders an answer to a contact message; the earlier messages follow it, quoted, so the thread reads in one place. */
export function contactReplyEmail(input: ContactReplyInput): RenderedEmail {
	const subject = /^re:/i.test(input.subject) ? input.subject : `Re: ${input.subject}`;
	const quoted = input.thread
		.slice()
		.reverse()
		.flatMap((entry) => ['', `On ${entry.at}, ${entry.from} wrote:`, ...entry.text.split('\n').map((l) => `> ${l}`)]);
	const text = [
		`Hello ${input.name},`,
		'',
		input.reply,
		'',
		...textSignature(input.shopName, input.shop),
		...quoted,
		'',
	].join('\n');
	const paragraphs = (value: string) =>
		value
			.split(/\n{2,}/)
			.map(
				(para) =>
					html`<p style="margin:0 0 12px;">${para.split('\n').map((line, i) => html`${i > 0 ? html`<br>` : ''}${line}`)}</p>`,
			);
	const content = html`<p style="margin:0 0 12px;">Hello ${input.name},</p>
${paragraphs(input.reply)}
${input.thread
	.slice()
	.reverse()
	.map(
		(entry) => html`<div style="margin:16px 0 0;padding:0 0 0 12px;border-left:3px solid #e5e7eb;color:#4b5563;">
<p style="margin:0 0 6px;font-size:13px;">On ${entry.at}, ${entry.from} wrote:</p>
${paragraphs(entry.text)}
</div>`,
	)}`;
	return {
		subject,
		text,
		html: renderLayout({
			shopName: input.shopName,
			title: subject,
			preheader: input.reply.slice(0, 120),
			content,
			shop: input.shop,
		}),
	};
}
