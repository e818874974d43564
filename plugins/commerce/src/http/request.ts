import qs from 'qs';
import { z } from 'zod';
import { CommerceError, invalid } from '../core/errors.ts';

/** Bodies above this are refused before parsing; no Store API call needs more. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads a JSON object body with a size cap. medusa-js always sends a JSON body on POST and DELETE (`{}` when empty);
 * an empty body counts as `{}`.
 */
export async function readJsonBody(request: Request, maxBytes = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
	return parseJsonObject(await readBodyText(request, maxBytes));
}

/** Reads the raw body as text, refusing more than `maxBytes` without buffering the excess. */
export async function readBodyText(request: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > maxBytes) throw tooLarge(maxBytes);
	const reader = request.body?.getReader();
	if (!reader) return '';
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > maxBytes) {
			await reader.cancel();
			throw tooLarge(maxBytes);
		}
		chunks.push(value);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON object body; an empty body is `{}` (medusa-js sends `{}` on calls without a payload). */
export function parseJsonObject(raw: string): Record<string, unknown> {
	const text = raw.trim();
	if (!text) return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw invalid('The request body is not valid JSON. Send a JSON object, e.g. {"quantity": 1}.', 'invalid_json');
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw invalid('The request body must be a JSON object.', 'invalid_json');
	}
	return parsed as Record<string, unknown>;
}

function tooLarge(maxBytes: number): CommerceError {
	return new CommerceError('too_large', `The request body is larger than ${maxBytes / 1024} KB.`, 'payload_too_large');
}

/**
 * Parses a query string the way medusa-js builds it (`qs.stringify`: `id[0]=a&id[1]=b`, `created_at[gt]=…`).
 * Limits keep a hostile query from costing more than a normal one.
 */
export function parseQuery(search: string): Record<string, unknown> {
	return qs.parse(search.replace(/^\?/, ''), { depth: 2, arrayLimit: 100, parameterLimit: 100, allowDots: false });
}

/** Formats zod issues as one sentence per field, in the Medusa style (`quantity must be an integer number`). */
export function zodMessage(error: z.ZodError): string {
	return error.issues
		.map((issue) => {
			const field = issue.path.join('.');
			if (issue.code === 'invalid_type' && issue.received === 'undefined')
				return issue.message !== 'Required' ? issue.message : `${field} is required`;
			// Messages written for a field already name it ("quantity must be an integer number").
			return field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message;
		})
		.join('; ');
}

/**
 * Validates input with a schema, turning failures into a 400 `invalid_data` that names each field, with `code` unless
 * the schema named its own. The router calls it with each route's schemas; handlers never do.
 */
export function parseInput<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, input: unknown, code?: string): T {
	const result = schema.safeParse(input);
	if (!result.success) throw invalid(zodMessage(result.error), issueCode(result.error) ?? code);
	return result.data;
}

/** A schema may name the machine-readable `code` of its refusal: `ctx.addIssue({ …, params: { code } })`. */
function issueCode(error: z.ZodError): string | undefined {
	for (const issue of error.issues) {
		const code = issue.code === 'custom' ? issue.params?.code : undefined;
		if (typeof code === 'string') return code;
	}
	return undefined;
}

/** A query value medusa-js may send as `key=a` or `key[0]=a&key[1]=b`: always a string array. */
export const stringList = z
	.union([z.string(), z.array(z.string())])
	.transform((value) => (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter(Boolean));
