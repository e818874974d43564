export { serve, type ServeOptions, type RunningServer } from './serve.ts';
export { securityHeaders, contentSecurityPolicy } from '../security-headers.ts';
