import { defineConfig } from 'vitest/config';

// Three projects: unit (pure and SQLite, no server), api (built servers over HTTP), e2e (Chromium).
// api and e2e expect `astro build` to have run (npm test does it first); each starts its own server on a free port.
export default defineConfig({
	test: {
		projects: [
			{ test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
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
