import { format } from 'node:util';
import pino, { type DestinationStream, type Logger } from 'pino';
import { currentRequest, processState } from '../runtime/process-state.ts';
import { prettyStream } from './pretty.ts';
import { REDACT_PATHS, scrubText } from './redact.ts';

export type { Logger };

/**
 * `LOG_FORMAT=json|pretty`; unset means pretty in a terminal (`npm start` by hand) and JSON lines everywhere else
 * (pipes, files, containers, tests), so nothing ever needs a TTY.
 */
export function logFormat(env: NodeJS.ProcessEnv = process.env, stdout: { isTTY?: boolean } = process.stdout) {
	if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
	return stdout.isTTY ? 'pretty' : 'json';
}

/**
 * A pino logger with the plugin's rules: ISO timestamps, `reqId` of the current request on every line (from the
 * request context, so code deep in a service needs no logger passed down), secret fields redacted by name, and every
 * finished line scrubbed of card numbers and full email addresses. `LOG_LEVEL` sets the level (default `info`).
 */
export function createLogger(
	opts: { env?: NodeJS.ProcessEnv; destination?: DestinationStream | { write(line: string): void } } = {},
): Logger {
	const env = opts.env ?? process.env;
	const destination =
		opts.destination ??
		(logFormat(env) === 'pretty'
			? prettyStream(process.stdout, Boolean(process.stdout.isTTY) && env.NO_COLOR === undefined)
			: pino.destination({ dest: 1, sync: true }));
	return pino(
		{
			level: env.LOG_LEVEL || 'info',
			timestamp: pino.stdTimeFunctions.isoTime,
			mixin() {
				const request = currentRequest();
				return request ? { reqId: request.id } : {};
			},
			redact: { paths: REDACT_PATHS, censor: '[redacted]' },
			hooks: { streamWrite: scrubText },
		},
		destination as DestinationStream,
	);
}

/** The process-wide logger (one per process, whichever copy of this module asks first). */
export function logger(): Logger {
	const state = processState();
	state.logger ??= createLogger();
	return state.logger;
}

/**
 * Makes a process started by `commerce serve` write nothing but JSON log lines (or their terminal rendering):
 * `console.*` (Astro's own messages and any library's), Node's warnings, and a crash's last words all go through the
 * logger. Errors among console arguments become the line's `err`.
 */
export function captureProcessOutput(log: Logger = logger()): void {
	const route =
		(level: 'debug' | 'info' | 'warn' | 'error') =>
		(...args: unknown[]) => {
			const err = args.find((a) => a instanceof Error);
			const rest = args.filter((a) => a !== err);
			const message = format(...rest).replace(/:\s*$/, '');
			if (err) log[level]({ err }, message);
			else log[level](message);
		};
	console.debug = route('debug');
	console.log = route('info');
	console.info = route('info');
	console.warn = route('warn');
	console.error = route('error');
	// Node prints warnings to stderr itself; replace that printer with a log line.
	process.removeAllListeners('warning');
	process.on('warning', (warning) =>
		log.warn({ warning: { name: warning.name, code: (warning as { code?: string }).code } }, warning.message),
	);
	const fatal = (error: unknown, what: string) => {
		log.fatal({ err: error }, `[commerce] ${what}; the server stops`);
		process.exit(1);
	};
	process.once('uncaughtException', (error) => fatal(error, 'uncaught exception'));
	process.once('unhandledRejection', (reason) => fatal(reason, 'unhandled promise rejection'));
}
