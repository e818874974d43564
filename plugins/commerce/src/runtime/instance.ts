import { loadCatalog, loadEmailImages } from 'virtual:frostbuy-commerce/catalog';
import { options } from 'virtual:frostbuy-commerce/config';
import { type CommerceRuntime, startRuntime } from './commerce-runtime.ts';

let pending: Promise<CommerceRuntime> | undefined;

/**
 * The process-wide runtime, started on first use and shared by every route. A failed start is not cached, so the next
 * request retries (for example after the operator freed a locked database file).
 */
export function getRuntime(): Promise<CommerceRuntime> {
	// The build's email renditions of product images join the options every email reads them from (emailShopOf).
	pending ??= startRuntime({ ...options, emailImages: loadEmailImages() }, loadCatalog()).catch((error: unknown) => {
		pending = undefined;
		throw error;
	});
	return pending;
}

export { options };
