import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
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
