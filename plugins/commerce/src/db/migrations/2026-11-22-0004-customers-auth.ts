import { type Kysely, sql } from 'kysely';

// Frozen: never edit; add a new migration instead. Portable types only (see 0001).
// Customer accounts (issue 5): customers, their sessions and password-reset tokens, plus the tables the rest of the
// accounts issue builds on (wishlist, contact messages, order-claim tokens). Saved customer addresses reuse the
// `address` table of 0002 through its `customer_id` column (indexed here).

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('customer')
		.addColumn('id', 'text', (c) => c.primaryKey())
		// Stored lower-case so the unique constraint is case-insensitive on every database.
		.addColumn('email', 'text', (c) => c.notNull().unique().check(sql`email = lower(email)`))
		.addColumn('first_name', 'text')
		.addColumn('last_name', 'text')
		.addColumn('phone', 'text')
		// 0 = guest (no password, cannot log in), 1 = registered account.
		.addColumn('has_account', 'integer', (c) => c.notNull().defaultTo(0).check(sql`has_account in (0, 1)`))
		// `scrypt$N$r$p$<salt b64>$<hash b64>`; never leaves the auth module.
		.addColumn('password_hash', 'text')
		.addColumn('role', 'text', (c) =>
			c.notNull().defaultTo('customer').check(sql`role in ('customer', 'staff', 'admin')`),
		)
		// The billing address is an `address` row reached only through this column (customer_id stays null on it, so it
		// is not listed among the saved shipping addresses).
		.addColumn('billing_address_id', 'text', (c) => c.references('address.id'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addCheckConstraint('customer_account_has_password', sql`has_account = 0 or password_hash is not null`)
		.execute();

	await db.schema.createIndex('address_customer_idx').on('address').column('customer_id').execute();
	// A customer's latest open cart is looked up on login (cart merge).
	await db.schema.createIndex('cart_customer_idx').on('cart').columns(['customer_id', 'completed_at']).execute();

	// Lucia sessions. `id` is the SHA-256 of the token the client holds, so a database leak hands out no live session.
	await db.schema
		.createTable('auth_session')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('customer.id').onDelete('cascade'))
		.addColumn('expires_at', 'text', (c) => c.notNull())
		// 'cookie': browser session, sliding expiry; 'bearer': `POST /auth/token`, fixed 24 h lifetime.
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('cookie', 'bearer')`))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('auth_session_user_idx').on('auth_session').column('user_id').execute();
	await db.schema.createIndex('auth_session_expiry_idx').on('auth_session').column('expires_at').execute();

	// Only the SHA-256 of a reset token is stored; single use (`used_at`), 30-minute lifetime.
	await db.schema
		.createTable('password_reset_token')
		.addColumn('token_hash', 'text', (c) => c.primaryKey())
		.addColumn('customer_id', 'text', (c) => c.notNull().references('customer.id').onDelete('cascade'))
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('used_at', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('password_reset_token_customer_idx')
		.on('password_reset_token')
		.column('customer_id')
		.execute();

	await db.schema
		.createTable('wishlist_item')
		.addColumn('customer_id', 'text', (c) => c.notNull().references('customer.id').onDelete('cascade'))
		.addColumn('variant_id', 'text', (c) => c.notNull().references('product_variant.id'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('wishlist_item_pk', ['customer_id', 'variant_id'])
		.execute();

	// Contact form messages, read in the admin area.
	await db.schema
		.createTable('contact_message')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('subject', 'text', (c) => c.notNull())
		.addColumn('message', 'text', (c) => c.notNull())
		.addColumn('customer_id', 'text', (c) => c.references('customer.id').onDelete('set null'))
		.addColumn('read_at', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('contact_message_created_idx').on('contact_message').column('created_at').execute();

	// A logged-in customer proves they own `email` (link mailed there) before guest orders placed with it are attached
	// to them. `order_ids` is a JSON array of the orders asked for, or null for every guest order of that email.
	await db.schema
		.createTable('order_claim_token')
		.addColumn('token_hash', 'text', (c) => c.primaryKey())
		.addColumn('customer_id', 'text', (c) => c.notNull().references('customer.id').onDelete('cascade'))
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('order_ids', 'text')
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('used_at', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'order_claim_token',
		'contact_message',
		'wishlist_item',
		'password_reset_token',
		'auth_session',
	]) {
		await db.schema.dropTable(table).execute();
	}
	await db.schema.dropIndex('cart_customer_idx').execute();
	await db.schema.dropIndex('address_customer_idx').execute();
	await db.schema.dropTable('customer').execute();
}
