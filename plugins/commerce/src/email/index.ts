/** Transactional email: a mailer (SMTP or dev outbox) and the templates it sends. */
export { createMailer, resolveMailerConfig } from './mailer.ts';
export type { EmailMessage, Mailer, MailerConfig, SendResult } from './mailer.ts';
export { escapeHtml, html, renderLayout, SafeHtml } from './templates/layout.ts';
export type { HtmlValue, LayoutOptions } from './templates/layout.ts';
export { orderConfirmationEmail } from './templates/order-confirmation.ts';
export type {
	OrderConfirmationInput,
	OrderEmailAddress,
	OrderEmailItem,
	RenderedEmail,
} from './templates/order-confirmation.ts';
