import type { APIRoute } from 'astro';
import { getRuntime } from '../../runtime/instance.ts';
import { checkHealth } from '../../services/health.ts';
import { json, storeError } from '../_shared/respond.ts';

// GET <storeBase>/health — database status, migration version and catalog counts; 503 when the store cannot serve.
export const GET: APIRoute = async () => {
	try {
		const report = await checkHealth(await getRuntime());
		return json(report, report.status === 'ok' ? 200 : 503);
	} catch (error) {
		console.error('[commerce] health check failed:', error);
		return json({ type: 'database_error', code: 'api_error', message: 'The store database is not available; see the server log.' }, 503);
	}
};

export const ALL: APIRoute = () => storeError('not_allowed', 'Use GET for the health check.', 'method_not_allowed', { Allow: 'GET' });
