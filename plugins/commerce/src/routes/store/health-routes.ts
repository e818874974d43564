import { json } from '../../http/respond.ts';
import { defineRoute, type Route } from '../../http/router.ts';
import { checkHealth } from '../../services/health.ts';

/** GET /health — database status, migration version and catalog counts; 503 when not ready. */
export const healthRoutes: Route[] = [
	defineRoute({
		method: 'GET',
		path: '/health',
		handler: async ({ runtime }) => {
			const report = await checkHealth(runtime);
			return json(report, report.status === 'ok' ? 200 : 503);
		},
	}),
];
