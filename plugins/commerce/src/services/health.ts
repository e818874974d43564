import { migrationStatus } from '../db/migrate.ts';
import { countCatalog } from '../db/repositories/catalog-repository.ts';
import type { CommerceRuntime } from '../runtime/commerce-runtime.ts';

export interface HealthReport {
	status: 'ok' | 'degraded';
	database: {
		status: 'ok' | 'pending_migrations';
		dialect: 'sqlite';
		migration: string | null;
		applied: number;
		pending: number;
	};
	catalog: { products: number; active_products: number; variants: number; categories: number };
	uptime_seconds: number;
}

/** What an operator or a load balancer needs to know: the database answers, its schema is current, the catalog is there. */
export async function checkHealth(runtime: CommerceRuntime, now = new Date()): Promise<HealthReport> {
	const [migrations, catalog] = await Promise.all([migrationStatus(runtime.db), countCatalog(runtime.db)]);
	const current = migrations.pending.length === 0;
	return {
		status: current ? 'ok' : 'degraded',
		database: {
			status: current ? 'ok' : 'pending_migrations',
			dialect: 'sqlite',
			migration: migrations.applied.at(-1) ?? null,
			applied: migrations.applied.length,
			pending: migrations.pending.length,
		},
		catalog: {
			products: catalog.products,
			active_products: catalog.activeProducts,
			variants: catalog.variants,
			categories: catalog.categories,
		},
		uptime_seconds: Math.round((now.getTime() - runtime.startedAt.getTime()) / 1000),
	};
}
