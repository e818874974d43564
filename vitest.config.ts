import { defineConfig } from 'vitest/config';

// The unit tests that touch the database, run a second time on PostgreSQL (project unit-postgres, each test on its own
// database made from a migrated template: tests/helpers/test-db.ts). Listed here so `npm test` runs the matrix.
export const DB_UNIT_TESTS = [
	'tests/unit/analytics-days.test.ts',
	'tests/unit/analytics-rollups.test.ts',
	'tests/unit/auth-sessions.test.ts',
	'tests/unit/compiled-query.test.ts',
	'tests/unit/catalog-sync.test.ts',
	'tests/unit/coupons.test.ts',
	'tests/unit/dashboard-kpis.test.ts',
	'tests/unit/optional-writes.test.ts',
	'tests/unit/order-service.test.ts',
	'tests/unit/outbox.test.ts',
	'tests/unit/repositories.test.ts',
	'tests/unit/stock.test.ts',
];

// Unit tests about PostgreSQL itself (SQLite → PostgreSQL copy, limits shared through the database, the CLI's choice
// of database): only in unit-postgres.
const POSTGRES_ONLY_UNIT_TESTS = [
	'tests/unit/analytics-visit-race.test.ts',
	'tests/unit/cli-database.test.ts',
	'tests/unit/db-copy.test.ts',
	'tests/unit/rate-limit-store.test.ts',
];

// API tests whose server runs on a new PostgreSQL database in the api-postgres project (the races and oversell, the
// checkout with coupons and orders, sessions, cart errors, incoming and outgoing webhooks, the dashboard over
// analytics; the two-instance test in tests/api always runs on PostgreSQL). The others read the SQLite file directly
// or exercise SQLite files (backup, crash, pack) and stay there.
export const API_POSTGRES_TESTS = [
	'tests/api/admin-dashboard.test.ts',
	'tests/api/checkout-concurrency.test.ts',
	'tests/api/medusa-js-auth.test.ts',
	'tests/api/medusa-js-cart.test.ts',
	'tests/api/medusa-js-checkout.test.ts',
	'tests/api/store-cart-errors.test.ts',
	'tests/api/stripe-webhook.test.ts',
	'tests/api/webhooks.test.ts',
];

// Projects: unit (pure and SQLite, no server), unit-postgres (the DB tests on PostgreSQL), api (built servers over
// HTTP), e2e (Chromium). api and e2e expect `astro build` to have run (npm test does it first); each starts its own
// server on a free port.
export default defineConfig({
	test: {
		projects: [
			{
				// CPU-bound property tests take seconds on a loaded 2-core machine; vitest's 5 s default is too tight there.
				test: {
					name: 'unit',
					include: ['tests/unit/**/*.test.ts'],
					exclude: POSTGRES_ONLY_UNIT_TESTS,
					environment: 'node',
					testTimeout: 30_000,
				},
			},
			{
				test: {
					name: 'unit-postgres',
					include: [...DB_UNIT_TESTS, ...POSTGRES_ONLY_UNIT_TESTS],
					environment: 'node',
					env: { COMMERCE_TEST_DB: 'postgres' },
					// Every statement is a round trip to the server, and npm test runs this beside the other projects.
					testTimeout: 30_000,
					hookTimeout: 60_000,
				},
			},
			{
				test: {
					name: 'api',
					include: ['tests/api/**/*.test.ts'],
					testTimeout: 240_000,
					hookTimeout: 240_000,
					// Builds of fixture sites are CPU-heavy; on 2 cores they run one file at a time.
					fileParallelism: false,
				},
			},
			{
				test: {
					name: 'api-postgres',
					include: API_POSTGRES_TESTS,
					env: { COMMERCE_TEST_DB: 'postgres' },
					testTimeout: 240_000,
					hookTimeout: 240_000,
					fileParallelism: false,
				},
			},
			{
				test: {
					name: 'e2e',
					include: ['tests/e2e/**/*.test.ts'],
					testTimeout: 120_000,
					hookTimeout: 120_000,
					fileParallelism: false,
				},
			},
		],
	},
});
