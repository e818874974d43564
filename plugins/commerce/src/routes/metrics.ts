import type { APIRoute } from 'astro';
import { methodNotAllowed } from '../http/respond.ts';
import { metricsResponse } from '../metrics/endpoint.ts';
import { getRuntime } from '../runtime/instance.ts';

// GET <metricsPath>: Prometheus text format, only with METRICS_TOKEN set and sent as a bearer token.
// Once authorized it starts the store if nothing else has (its queues and backups are part of the metrics); a store
// that cannot start still reports the process metrics, which is when they matter most.
export const GET: APIRoute = ({ request }) => metricsResponse(request, process.env, () => getRuntime());

/** Every other method: 405 with `Allow: GET, HEAD`. */
export const ALL: APIRoute = () => methodNotAllowed(['GET']);
