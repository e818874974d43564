// A terminal view of the JSON log lines for `npm start` by hand: time, level, message, then the other fields.
// Deliberately tiny (no pino-pretty): it only runs when a person watches a terminal, and it must not add a worker
// thread or a dozen packages to every shop's production install.

const LEVELS: Record<number, [string, string]> = {
	10: ['TRACE', '90'],
	20: ['DEBUG', '36'],
	30: ['INFO ', '32'],
	40: ['WARN ', '33'],
	50: ['ERROR', '31'],
	60: ['FATAL', '35'],
};

// Shown elsewhere in the line, or noise in a terminal.
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'err']);

function paint(text: string, code: string, color: boolean): string {
	return color ? `\u001b[${code}m${text}\u001b[39m` : text;
}

/** Formats one JSON log line; a line that is not JSON is returned as it is. */
export function prettyLine(line: string, color = false): string {
	let entry: Record<string, unknown>;
	try {
		entry = JSON.parse(line);
	} catch {
		return line;
	}
	const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : new Date().toISOString().slice(11, 23);
	const [label, code] = LEVELS[Number(entry.level)] ?? ['LOG  ', '39'];
	const access =
		typeof entry.status === 'number' && typeof entry.method === 'string'
			? `${entry.method} ${entry.path} ${entry.status} ${entry.durationMs}ms`
			: '';
	const fields = Object.entries(entry)
		.filter(([key]) => !HIDDEN.has(key) && !(access && ['method', 'path', 'status', 'durationMs'].includes(key)))
		.map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
	const err = entry.err as { stack?: string; message?: string } | undefined;
	const message = [access || String(entry.msg ?? ''), access && entry.msg !== 'request completed' ? entry.msg : '']
		.filter(Boolean)
		.join(' ');
	const tail = fields.length ? ` ${paint(fields.join(' '), '90', color)}` : '';
	const stack = err ? `\n${err.stack ?? err.message ?? ''}` : '';
	return `${paint(time, '90', color)} ${paint(label, code, color)} ${message}${tail}${stack}\n`;
}

/** A pino destination that prints each line in the terminal format. */
export function prettyStream(out: NodeJS.WritableStream, color: boolean): { write(line: string): void } {
	return {
		write(line: string) {
			out.write(prettyLine(line.trimEnd(), color));
		},
	};
}
