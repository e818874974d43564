import type { Kysely } from 'kysely';

// Frozen: never edit; add a new migration instead. Portable types only (see 0001).
// Replies to contact messages (issue 13): the admin answers in the inbox, the answer goes out by email, and the thread
// (the message, then each reply in order) stays on the message. Erasing a customer deletes the replies with the message.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('contact_reply')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('message_id', 'text', (c) => c.notNull().references('contact_message.id').onDelete('cascade'))
		.addColumn('body', 'text', (c) => c.notNull())
		// The admin who wrote it (their email), as on order events.
		.addColumn('author', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('contact_reply_message_idx')
		.on('contact_reply')
		.columns(['message_id', 'created_at'])
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('contact_reply').execute();
}
