import { useEffect, useRef, useState } from 'preact/hooks';
import { createAccountClient } from '../client/account-client.ts';
import { Field, FormFooter } from './account-fields.tsx';
import type { Errors, Values } from './account-form.ts';
import { EMAIL_PATTERN, useForm } from './account-form.ts';

export interface ContactFormProps {
	/** Store API base. @default '/store' */
	storeUrl?: string;
	/** What the confirmation promises. @default 'within one business day' */
	replyTime?: string;
}

type Name = 'name' | 'email' | 'subject' | 'message' | 'website';

const MESSAGE_MAX = 5000;

const validate = (values: Values<Name>): Errors<Name> => {
	const errors: Errors<Name> = {};
	if (!values.name.trim()) errors.name = 'Enter your name.';
	if (!EMAIL_PATTERN.test(values.email.trim()))
		errors.email = 'Enter an email address we can reply to, such as name@example.com.';
	if (!values.subject.trim()) errors.subject = 'Enter a subject.';
	if (!values.message.trim()) errors.message = 'Enter your message.';
	else if (values.message.length > MESSAGE_MAX)
		errors.message = `Shorten your message to ${MESSAGE_MAX} characters (it has ${values.message.length}).`;
	return errors;
};

/**
 * The contact form: name, email, subject, message, and a honeypot field hidden from people (bots that fill it are
 * dropped by the server). The confirmation replaces the form inline; a rate limit says when to try again.
 */
export default function ContactForm({ storeUrl, replyTime = 'within one business day' }: ContactFormProps) {
	const form = useForm<Name>('contact', { name: '', email: '', subject: '', message: '', website: '' });
	const [sent, setSent] = useState<{ email: string } | null>(null);
	const confirmation = useRef<HTMLDivElement>(null);
	useEffect(() => {
		if (sent) confirmation.current?.focus();
	}, [sent]);

	const submit = (event: Event) =>
		form.submit(event, validate, async (values) => {
			await createAccountClient(storeUrl).sendContactMessage({
				name: values.name.trim(),
				email: values.email.trim(),
				subject: values.subject.trim(),
				message: values.message.trim(),
				website: values.website,
			});
			setSent({ email: values.email.trim() });
		});

	if (sent) {
		return (
			<div
				ref={confirmation}
				class="account-confirmation contact-confirmation"
				role="status"
				tabIndex={-1}
				data-contact-sent
			>
				<h2>Thank you, your message has been sent.</h2>
				<p>
					We will reply to <strong>{sent.email}</strong> {replyTime}.
				</p>
				<button
					type="button"
					class="link-button"
					onClick={() => {
						form.setValues({ name: form.values.name, email: form.values.email, subject: '', message: '', website: '' });
						setSent(null);
					}}
				>
					Send another message
				</button>
			</div>
		);
	}

	return (
		<form
			method="post"
			class="account-form contact-form cart__summary"
			noValidate
			onSubmit={submit}
			aria-busy={form.sending}
		>
			<div class="account-form__row">
				<Field form={form} name="name" label="Name" autocomplete="name" required maxLength={200} />
				<Field
					form={form}
					name="email"
					label="Email"
					type="email"
					autocomplete="email"
					autocapitalize="off"
					spellcheck={false}
					required
				/>
			</div>
			<Field form={form} name="subject" label="Subject" autocomplete="off" required maxLength={200} />
			<Field
				form={form}
				name="message"
				label="Message"
				multiline
				required
				maxLength={MESSAGE_MAX}
				hint="Order number, product, question: whatever helps us help you."
			/>
			{/* Honeypot: invisible to people and assistive technology, skipped by the keyboard; bots fill every field. */}
			<div class="contact-honeypot" aria-hidden="true">
				<label for="contact-website">Website (leave empty)</label>
				<input
					id="contact-website"
					name="website"
					tabIndex={-1}
					autocomplete="off"
					value={form.values.website}
					onInput={(event) => form.set('website', event.currentTarget.value)}
				/>
			</div>
			<FormFooter form={form} label="Send message" sendingLabel="Sending…" />
		</form>
	);
}
