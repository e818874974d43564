import { z } from 'zod';
import { json } from '../../http/respond.ts';
import { defineRoute, type Route } from '../../http/router.ts';
import { checkHealth, checkHealthDetailed, checkReadiness } from '../../services/health.ts';

/** `?full=1` (or `true`, `yes`) asks for the detailed report; anything else, or nothing, is the cheap liveness answer. */
const healthQuery = z
	.object({ full: z.string().optional() })
	.transform((q) => ({ full: ['1', 'true', 'yes'].includes(q.full ?? '') }));

/**
 * GET /health — liveness: the database answers, with schema and catalog counts (cached ≤ 10 s); 503 when not.
 * `?full=1` — the detailed report: migrations by name, queues, backups, readiness, computed fresh.
 * GET /health/ready — readiness for load balancers: 503 while migrations are pending, the schema is newer than this
 * code, the database is unreachable, or the server is shutting down.
 */
export const healthRoutes: Route[] = [
	defineRoute({
		method: 'GET',
		path: '/health',
		query: healthQuery,
		handler: async ({ runtime, query }) => {
			if (query.full) {
				const full = await checkHealthDetailed(runtime);
				return json(full, full.status === 'ok' ? 200 : 503);
			}
			const report = await checkHealth(runtime);
			return json(report, report.status === 'ok' ? 200 : 503);
		},
	}),
	defineRoute({
		method: 'GET',
		path: '/health/ready',
		handler: async ({ runtime }) => {
			const report = await checkReadiness(runtime);
			return json(report, report.status === 'ready' ? 200 : 503);
		},
	}),
];
