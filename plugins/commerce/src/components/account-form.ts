import { useEffect, useRef, useState } from 'preact/hooks';
import type { StoreApiError } from '../client/store-client.ts';
import { retryText } from './checkout-order.ts';

// What every account island shares: form state with one submission at a time, the wording of API failures, the
// redirect to the login page, and loading data that needs a session.

/** The minimum password length the server enforces (issue #5); the forms say it up front. */
export const PASSWORD_MIN_LENGTH = 12;
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** @default loginUrl of every account island. */
export const LOGIN_URL = '/account/login/';

export type Values<K extends string> = Record<K, string>;
export type Errors<K extends string> = Partial<Record<K, string>>;

/**
 * A same-site path to return to after login, or `fallback`. Only plain paths pass (`/account/orders/?page=2`); other
 * hosts, `//host` and `/\host` (which browsers treat as another host) do not, so `?next=` cannot redirect off-site.
 */
export function safeNext(raw: string | null | undefined, fallback: string): string {
	if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return fallback;
	try {
		const url = new URL(raw, 'http://same.invalid');
		return url.host === 'same.invalid' ? url.pathname + url.search + url.hash : fallback;
	} catch {
		return fallback;
	}
}

/** The login page that returns to `next` afterwards. */
export const loginHref = (loginUrl: string, next: string) => `${loginUrl}?next=${encodeURIComponent(next)}`;

/** Leaves a page that needs a session for the login page, which brings the shopper back here. */
export function redirectToLogin(loginUrl = LOGIN_URL): void {
	location.replace(loginHref(loginUrl, location.pathname + location.search));
}

/** A failure as one sentence for the shopper: rate limits say when to try again; other messages are the API's own. */
export function failureText(error: StoreApiError): string {
	if (error.status === 429)
		return `Too many attempts. Please try again ${error.retryAfter ? retryText(error.retryAfter) : 'in a few minutes'}.`;
	return error.message || 'Something went wrong. Please try again.';
}

/** An unexpected exception (not an API answer) becomes a generic failure; it is logged because it is a bug. */
function asApiError(error: unknown): StoreApiError {
	if (error && typeof error === 'object' && 'status' in error) return error as StoreApiError;
	console.error(error);
	return { status: 0, message: 'Something went wrong. Please try again.' } as StoreApiError;
}

export interface FormApi<K extends string> {
	/** Prefix of the input ids (`login` → `login-email`). */
	id: string;
	values: Values<K>;
	errors: Errors<K>;
	/** The form-level failure, announced by a `role="alert"` paragraph. */
	failure: string;
	/** The success message, announced by a `role="status"` paragraph. */
	status: string;
	sending: boolean;
	/**
	 * False until the island has hydrated: the submit button stays disabled, so a quick click or a password manager's
	 * auto-submit cannot send the prerendered form natively (the forms say `method="post"` too, so even then no password
	 * lands in an address).
	 */
	ready: boolean;
	set(name: K, value: string): void;
	setValues(values: Values<K>): void;
	/**
	 * Validates, focuses the first invalid field, then runs `send` unless a submission is already running (a double
	 * click sends once). `send` resolves with the success message; API failures become `failure`, or go to the login
	 * page when `loginUrl` is given and the session has ended (401).
	 */
	submit(
		event: Event,
		validate: (values: Values<K>) => Errors<K>,
		// biome-ignore lint/suspicious/noConfusingVoidType: senders that show no message simply return nothing
		send: (values: Values<K>) => Promise<string | void>,
		options?: { loginUrl?: string; onFailure?: (error: StoreApiError) => string | undefined },
	): Promise<void>;
}

/** State of one form; see `FormApi`. */
export function useForm<K extends string>(id: string, initial: Values<K>): FormApi<K> {
	const [values, setValues] = useState(initial);
	const [errors, setErrors] = useState<Errors<K>>({});
	const [failure, setFailure] = useState('');
	const [status, setStatus] = useState('');
	const [sending, setSending] = useState(false);
	const [ready, setReady] = useState(false);
	// State updates are asynchronous; the ref stops a second submit in the same tick.
	const running = useRef(false);
	useEffect(() => {
		// What was typed or autofilled into the prerendered inputs before hydration is kept, not silently dropped.
		const typed: Partial<Values<K>> = {};
		for (const name of Object.keys(initial) as K[]) {
			const input = document.getElementById(`${id}-${name}`) as HTMLInputElement | null;
			if (input?.value && input.value !== initial[name]) typed[name] = input.value;
		}
		if (Object.keys(typed).length) setValues((current) => ({ ...current, ...typed }));
		setReady(true);
	}, []);

	return {
		id,
		values,
		errors,
		failure,
		status,
		sending,
		ready,
		set: (name, value) => setValues((current) => ({ ...current, [name]: value })),
		setValues,
		async submit(event, validate, send, options = {}) {
			event.preventDefault();
			if (running.current) return;
			const found = validate(values);
			setErrors(found);
			setFailure('');
			setStatus('');
			const first = Object.keys(found)[0];
			if (first) {
				document.getElementById(`${id}-${first}`)?.focus();
				return;
			}
			running.current = true;
			setSending(true);
			try {
				setStatus((await send(values)) ?? '');
			} catch (error) {
				const apiError = asApiError(error);
				if (apiError.status === 401 && options.loginUrl) return redirectToLogin(options.loginUrl);
				setFailure(options.onFailure?.(apiError) ?? failureText(apiError));
			} finally {
				running.current = false;
				setSending(false);
			}
		},
	};
}

export type Loaded<T> =
	| { kind: 'loading' }
	| { kind: 'ready'; data: T }
	| { kind: 'error'; status: number; message: string };

/**
 * Data that needs a session (the customer, their orders): loads once, and a 401 sends the shopper to the login page,
 * which returns here. `setData` replaces the data with what a later call answered.
 */
export function useCustomerData<T>(
	load: () => Promise<T>,
	loginUrl = LOGIN_URL,
): [Loaded<T>, (data: T) => void, () => void] {
	const [state, setState] = useState<Loaded<T>>({ kind: 'loading' });
	const [attempt, setAttempt] = useState(0);
	useEffect(() => {
		let current = true;
		load().then(
			(data) => current && setState({ kind: 'ready', data }),
			(error: unknown) => {
				if (!current) return;
				const apiError = asApiError(error);
				if (apiError.status === 401) redirectToLogin(loginUrl);
				else setState({ kind: 'error', status: apiError.status, message: failureText(apiError) });
			},
		);
		return () => {
			current = false;
		};
	}, [attempt]);
	const retry = () => {
		setState({ kind: 'loading' });
		setAttempt((n) => n + 1);
	};
	return [state, (data) => setState({ kind: 'ready', data }), retry];
}
