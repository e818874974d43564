import type { APIRoute } from 'astro';
import { getRuntime } from '../../runtime/instance.ts';
import { adminRouter } from './routes.ts';

// The one injected entry of the admin API: everything under <adminBasePath>/api/ goes through the admin route table.
export const ALL: APIRoute = ({ request, params, clientAddress }) =>
	adminRouter.handle({
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
