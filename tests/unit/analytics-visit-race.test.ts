import { describe, expect, it } from 'vitest';
import { addEventsToTraffic } from '../../plugins/commerce/src/db/repositories/rollup-repository.ts';
import { writeTransaction } from '../../plugins/commerce/src/db/transaction.ts';
import { createTestDatabase } from '../helpers/test-db.ts';

// A checkout's purchase and a beacon flush can add the same visit's day at the same moment. On PostgreSQL both
// transactions read "no row yet" and both insert it: the second used to fail on the primary key, losing its analytics
// (the purchase, as the admin dashboard's funnel once showed). SQLite serializes write transactions (`begin
// immediate`), so only PostgreSQL has the race; POSTGRES_ONLY_UNIT_TESTS in vitest.config.ts.

describe('traffic rollup under concurrent writers', () => {
	it('counts a visit once and keeps both steps when two transactions add its day at the same time', async () => {
		const race = await createTestDatabase('visit-race');
		const other = race.open();
		try {
			const day = '2026-11-20';
			let release = () => {};
			const held = new Promise<void>((done) => {
				release = done;
			});
			let written = () => {};
			const wrote = new Promise<void>((done) => {
				written = done;
			});
			// The beacon flush: adds the visit's product view and keeps its transaction open.
			const flush = writeTransaction(other, async (trx) => {
				await addEventsToTraffic(trx, [{ day, visitId: 'visit-1', step: 'product_view' }]);
				written();
				await held;
			});
			await wrote;
			// The purchase, while the flush has not committed: its read finds no row, its insert waits for the flush.
			const purchase = writeTransaction(race.db, (trx) =>
				addEventsToTraffic(trx, [{ day, visitId: 'visit-1', step: 'purchase' }]),
			);
			await new Promise((done) => setTimeout(done, 300));
			release();
			await Promise.all([flush, purchase]);
			const visit = await race.db.selectFrom('analytics_visit_day').selectAll().where('day', '=', day).execute();
			expect(visit).toHaveLength(1);
			expect(visit[0]).toMatchObject({ visit_id: 'visit-1', product_view: 1, purchase: 1, add_to_cart: 0 });
			const traffic = await race.db
				.selectFrom('analytics_traffic_day')
				.selectAll()
				.where('day', '=', day)
				.executeTakeFirstOrThrow();
			expect(traffic).toMatchObject({ events: 2, visits: 1, product_view: 1, purchase: 1, add_to_cart: 0 });
		} finally {
			await other.destroy();
			await race.destroy();
		}
	});
});
