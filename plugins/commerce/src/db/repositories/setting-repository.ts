import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { compiledQuery } from '../compiled-query.ts';
import type { Database } from '../types.ts';

/**
 * The server's signing secret: `COMMERCE_SECRET` when set (several processes must share it), otherwise generated once
 * and kept in the database so restarts do not invalidate cookies.
 */
export async function ensureSecret(db: Kysely<Database>, env = process.env): Promise<string> {
	if (env.COMMERCE_SECRET && env.COMMERCE_SECRET.length >= 32) return env.COMMERCE_SECRET;
	await db
		.insertInto('commerce_setting')
		.values({ key: 'signing_secret', value: randomBytes(32).toString('base64url') })
		.onConflict((oc) => oc.column('key').doNothing())
		.execute();
	const row = await db
		.selectFrom('commerce_setting')
		.select('value')
		.where('key', '=', 'signing_secret')
		.executeTakeFirstOrThrow();
	return row.value;
}

/** A stored setting's value, or null when it was never set. */
export async function getSetting(db: Kysely<Database>, key: string): Promise<string | null> {
	return (await setting(db, key)).rows[0]?.value ?? null;
}

// Read by every sale's low-stock check: compiled once (compiled-query.ts).
const setting = compiledQuery((db: Kysely<Database>, key: string) =>
	db.selectFrom('commerce_setting').select('value').where('key', '=', key),
);

/** Stores a setting, replacing its previous value. */
export async function putSetting(db: Kysely<Database>, key: string, value: string): Promise<void> {
	await db
		.insertInto('commerce_setting')
		.values({ key, value })
		.onConflict((oc) => oc.column('key').doUpdateSet({ value }))
		.execute();
}
