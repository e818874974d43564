export { contentSecurityPolicy, securityHeaders } from '../security-headers.ts';
export { type RunningServer, type ServeOptions, serve } from './serve.ts';
