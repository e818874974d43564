import type { APIRoute } from 'astro';
import { getRuntime } from '../../runtime/instance.ts';
import { storeRouter } from './routes.ts';

// The one injected entry of the Store API: everything under <storeBasePath>/ goes through the router table.
export const ALL: APIRoute = ({ request, params, clientAddress }) =>
	storeRouter.handle({
		request,
		path: `/${params.path ?? ''}`,
		runtime: getRuntime,
		clientAddress: readAddress(() => clientAddress),
	});

// Astro throws when the adapter cannot tell the client address (e.g. prerendering); that is not an error here.
function readAddress(read: () => string): string | undefined {
	try {
		return read();
	} catch {
		return undefined;
	}
}
