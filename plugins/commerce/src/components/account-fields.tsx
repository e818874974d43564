import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FormApi, Loaded } from './account-form.ts';
import { PASSWORD_MIN_LENGTH } from './account-form.ts';

// The controls of the account forms. Each input has its label, an error paragraph it is described by, and
// aria-invalid; form-level failures are announced (role="alert"), successes too (role="status").

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'form' | 'name' | 'value' | 'id' | 'label'>;

interface FieldProps<K extends string> extends InputProps {
	form: FormApi<K>;
	name: K;
	label: string;
	hint?: string;
	/** A `<textarea>` instead of an input. */
	multiline?: boolean;
	class?: string;
}

export function Field<K extends string>({
	form,
	name,
	label,
	hint,
	multiline,
	class: className,
	...input
}: FieldProps<K>) {
	const id = `${form.id}-${name}`;
	const error = form.errors[name];
	const common = {
		id,
		name,
		value: form.values[name],
		'aria-invalid': !!error || undefined,
		'aria-describedby': hint ? `${id}-hint ${id}-error` : `${id}-error`,
	};
	return (
		<div class={className ? `field ${className}` : 'field'}>
			<label for={id}>{label}</label>
			{hint && (
				<span id={`${id}-hint`} class="field__hint">
					{hint}
				</span>
			)}
			{multiline ? (
				<textarea
					{...common}
					rows={6}
					required={input.required}
					maxLength={input.maxLength}
					onInput={(event) => form.set(name, event.currentTarget.value)}
				/>
			) : (
				<input {...input} {...common} onInput={(event) => form.set(name, event.currentTarget.value)} />
			)}
			<p id={`${id}-error`} class="form-error">
				{error}
			</p>
		</div>
	);
}

interface PasswordFieldProps<K extends string> {
	form: FormApi<K>;
	name: K;
	label: string;
	/** `new-password` fields state the minimum length; `current-password` fields do not. */
	autocomplete: 'current-password' | 'new-password';
	/** `false` drops the minimum-length hint (a "repeat the password" field). */
	hint?: false;
}

/** A password input with a "Show" toggle, so shoppers on phones can check what they typed. */
export function PasswordField<K extends string>({ form, name, label, autocomplete, hint }: PasswordFieldProps<K>) {
	const [shown, setShown] = useState(false);
	const isNew = autocomplete === 'new-password';
	return (
		<div class="password-field">
			<Field
				form={form}
				name={name}
				label={label}
				type={shown ? 'text' : 'password'}
				autocomplete={autocomplete}
				autocapitalize="off"
				spellcheck={false}
				required
				minLength={isNew ? PASSWORD_MIN_LENGTH : undefined}
				hint={
					isNew && hint !== false
						? `At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong, memorable password.`
						: undefined
				}
			/>
			<button
				type="button"
				class="link-button password-field__toggle"
				aria-pressed={shown}
				aria-controls={`${form.id}-${name}`}
				onClick={() => setShown(!shown)}
			>
				Show password
			</button>
		</div>
	);
}

/**
 * The submit button (disabled while sending, so a double click sends once), any other buttons (`children`), and the
 * form's announced failure and success messages.
 */
export function FormFooter<K extends string>({
	form,
	label,
	sendingLabel,
	children,
}: {
	form: FormApi<K>;
	label: string;
	sendingLabel: string;
	children?: ComponentChildren;
}) {
	return (
		<>
			<div class="account-form__buttons">
				<button type="submit" class="button button--primary" disabled={form.sending || !form.ready}>
					{form.sending ? sendingLabel : label}
				</button>
				{children}
			</div>
			<p id={`${form.id}-failure`} class="form-error" role="alert">
				{form.failure}
			</p>
			<p id={`${form.id}-status`} class="form-status form-success" role="status">
				{form.status}
			</p>
		</>
	);
}

/** The loading and failure states of data that needs a session (`useCustomerData`). */
export function LoadState({ state, what, retry }: { state: Loaded<unknown>; what: string; retry: () => void }) {
	if (state.kind === 'loading') return <p role="status">Loading {what}…</p>;
	if (state.kind !== 'error') return null;
	return (
		<div class="empty-state" role="alert">
			<p>
				{what.charAt(0).toUpperCase() + what.slice(1)} could not be loaded: {state.message}
			</p>
			<button type="button" class="button" onClick={retry}>
				Try again
			</button>
		</div>
	);
}

interface ConfirmButtonProps {
	/** The first button's text ("Cancel order"). */
	label: string;
	/** The question asked before acting. */
	question: string;
	confirmLabel: string;
	keepLabel: string;
	busy: boolean;
	onConfirm: () => void;
	/** Accessible name of the first button when its text alone is ambiguous (one of several "Delete" buttons). */
	ariaLabel?: string;
}

/** A destructive action asked twice, inline (no `window.confirm`): the question and both answers replace the button. */
export function ConfirmButton({
	label,
	question,
	confirmLabel,
	keepLabel,
	busy,
	onConfirm,
	ariaLabel,
}: ConfirmButtonProps) {
	const [asking, setAsking] = useState(false);
	const answer = useRef<HTMLButtonElement>(null);
	// Focus moves to the first answer, so keyboard and screen reader users meet the question right away.
	useEffect(() => {
		if (asking) answer.current?.focus();
	}, [asking]);
	if (!asking) {
		return (
			<button
				type="button"
				class="button button--danger"
				disabled={busy}
				aria-label={ariaLabel}
				onClick={() => setAsking(true)}
			>
				{label}
			</button>
		);
	}
	return (
		<div class="confirm-box" role="group" aria-label={question}>
			<p class="confirm-box__question">{question}</p>
			<div class="confirm-box__actions">
				<button type="button" class="button button--danger-solid" disabled={busy} ref={answer} onClick={onConfirm}>
					{confirmLabel}
				</button>
				<button type="button" class="button" disabled={busy} onClick={() => setAsking(false)}>
					{keepLabel}
				</button>
			</div>
		</div>
	);
}
