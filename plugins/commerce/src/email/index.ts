/** Transactional email: a mailer (SMTP or dev outbox) and the templates it sends. */

export { emailImageUrl, isEmailSafeImage } from './images.ts';
export type { EmailMessage, Mailer, MailerConfig, SendResult } from './mailer.ts';
export { createMailer, resolveMailerConfig } from './mailer.ts';
export type { AccountErasedInput } from './templates/account-erased.ts';
export { accountErasedEmail } from './templates/account-erased.ts';
export type { CartReminderInput } from './templates/cart-reminder.ts';
export { cartReminderEmail } from './templates/cart-reminder.ts';
export type { ContactReplyInput } from './templates/contact-reply.ts';
export { contactReplyEmail } from './templates/contact-reply.ts';
export type { GiftCardDeliveryInput } from './templates/gift-card-delivery.ts';
export { giftCardDeliveryEmail } from './templates/gift-card-delivery.ts';
export type { EmailShop, HtmlValue, LayoutOptions } from './templates/layout.ts';
export {
	brandColor,
	emailButton,
	escapeHtml,
	html,
	renderLayout,
	SafeHtml,
	textSignature,
} from './templates/layout.ts';
export type { OrderCanceledInput } from './templates/order-canceled.ts';
export { orderCanceledEmail } from './templates/order-canceled.ts';
export type { OrderClaimInput } from './templates/order-claim.ts';
export { orderClaimEmail } from './templates/order-claim.ts';
export type {
	OrderConfirmationInput,
	OrderEmailAddress,
	OrderEmailItem,
	RenderedEmail,
} from './templates/order-confirmation.ts';
export { orderConfirmationEmail } from './templates/order-confirmation.ts';
export type { OrderRefundedInput } from './templates/order-refunded.ts';
export { orderRefundedEmail } from './templates/order-refunded.ts';
export type { OrderShippedInput } from './templates/order-shipped.ts';
export { orderShippedEmail, trackingUrl } from './templates/order-shipped.ts';
export type { PasswordChangedInput } from './templates/password-changed.ts';
export { passwordChangedEmail } from './templates/password-changed.ts';
export type { PasswordResetInput } from './templates/password-reset.ts';
export { passwordResetEmail } from './templates/password-reset.ts';
export { backInStockEmail, stockAlertConfirmEmail } from './templates/stock-alert.ts';
