import type { Kysely } from 'kysely';
import { newId } from '../db/ids.ts';
import { insertContactMessage } from '../db/repositories/contact-repository.ts';
import type { Database } from '../db/types.ts';

/** A validated contact form submission. */
export interface ContactInput {
	name: string;
	email: string;
	subject: string;
	message: string;
}

/** Stores a message for the admin area; `customerId` when the sender was logged in. Returns its id. */
export async function saveContactMessage(
	db: Kysely<Database>,
	input: ContactInput,
	customerId: string | null,
): Promise<string> {
	const id = newId('msg');
	await insertContactMessage(db, { id, ...input, customerId, createdAt: new Date().toISOString() });
	return id;
}
