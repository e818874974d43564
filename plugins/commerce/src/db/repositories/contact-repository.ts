import type { Kysely, Selectable } from 'kysely';
import type { ContactMessageTable, Database } from '../types.ts';

export type ContactMessage = Selectable<ContactMessageTable>;

export async function insertContactMessage(db: Kysely<Database>, message: ContactMessage): Promise<void> {
	await db.insertInto('contact_message').values(message).execute();
}
