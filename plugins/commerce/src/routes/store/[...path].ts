import { corsOrigins, preflightResponse, withCors } from '../../http/cors.ts';
import { getRuntime, options } from '../../runtime/instance.ts';
import { type EndpointContext, registerFastRoute } from '../../server/fast-routes.ts';
import { storeRouter } from './routes.ts';

// Read once per process: STORE_CORS (run time) wins over the storeCors option (build time).
const origins = corsOrigins(options.storeCors);

// The one injected entry of the Store API: everything under <storeBasePath>/ goes through the router table, with CORS
// for the origins the shop allows (preflights are answered here, before any route is matched). `commerce serve` calls
// the same function without Astro's pipeline (server/fast-routes.ts).
export const ALL = async ({ request, params, clientAddress }: EndpointContext): Promise<Response> => {
	// Only a CORS preflight (it names the method it asks for); any other OPTIONS gets the router's 405 + Allow.
	if (request.method === 'OPTIONS' && request.headers.has('access-control-request-method'))
		return preflightResponse(request, origins);
	const response = await storeRouter.handle({
		request,
		path: `/${params.path ?? ''}`,
		runtime: getRuntime,
		clientAddress: readAddress(() => clientAddress),
		trustedOrigins: origins,
	});
	return withCors(response, request, origins);
};

// Astro throws when the adapter cannot tell the client address (e.g. prerendering); that is not an error here.
function readAddress(read: () => string): string | undefined {
	try {
		return read();
	} catch {
		return undefined;
	}
}

registerFastRoute('store', { ALL });
