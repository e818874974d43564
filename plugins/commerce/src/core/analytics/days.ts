/**
 * Calendar days in a reporting time zone, as pure functions (no I/O). Rollups and the dashboard bucket timestamps by
 * the day they fall on in the shop's time zone (option `analytics.timeZone`, default `UTC`); a day is `YYYY-MM-DD`.
 */

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
	let f = formatters.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
		formatters.set(timeZone, f);
	}
	return f;
}

/** True for an IANA time zone name this runtime knows (`UTC`, `Europe/Berlin`, `America/New_York`, …). */
export function isTimeZone(timeZone: string): boolean {
	try {
		formatter(timeZone);
		return true;
	} catch {
		return false;
	}
}

/** The day (`YYYY-MM-DD`) an instant falls on in `timeZone`. */
export function dayOfMs(ms: number, timeZone: string): string {
	if (timeZone === 'UTC') return new Date(ms).toISOString().slice(0, 10);
	let year = '';
	let month = '';
	let day = '';
	for (const part of formatter(timeZone).formatToParts(ms)) {
		if (part.type === 'year') year = part.value;
		else if (part.type === 'month') month = part.value;
		else if (part.type === 'day') day = part.value;
	}
	return `${year.padStart(4, '0')}-${month}-${day}`;
}

/** The day an ISO-8601 timestamp falls on in `timeZone` (stored timestamps are UTC ISO strings). */
export function dayOf(iso: string, timeZone: string): string {
	if (timeZone === 'UTC' && iso.endsWith('Z') && iso.length >= 20) return iso.slice(0, 10);
	return dayOfMs(Date.parse(iso), timeZone);
}

/** `day` shifted by `n` calendar days. */
export function addDays(day: string, n: number): string {
	return new Date(Date.parse(`${day}T00:00:00.000Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The first instant (UTC ms) of `day` in `timeZone`: the smallest instant whose day is `day` or later. Found by a
 * binary search around UTC midnight, so days that do not start at 00:00 (a DST change at midnight) and 23- or 25-hour
 * days come out right.
 */
export function dayStartMs(day: string, timeZone: string): number {
	const utcMidnight = Date.parse(`${day}T00:00:00.000Z`);
	if (timeZone === 'UTC') return utcMidnight;
	// Offsets stay within −12 h … +14 h: the start is within 15 h of UTC midnight either way.
	let low = utcMidnight - 15 * 3_600_000;
	let high = utcMidnight + 15 * 3_600_000;
	while (low < high) {
		const mid = Math.floor((low + high) / 2);
		if (dayOfMs(mid, timeZone) >= day) high = mid;
		else low = mid + 1;
	}
	return low;
}

/** The half-open UTC interval `[from, to)` of ISO timestamps covering the days `first`..`last` in `timeZone`. */
export function daySpan(first: string, last: string, timeZone: string): { from: string; to: string } {
	return {
		from: new Date(dayStartMs(first, timeZone)).toISOString(),
		to: new Date(dayStartMs(addDays(last, 1), timeZone)).toISOString(),
	};
}

/** Today in `timeZone`. */
export const todayIn = (timeZone: string, now = new Date()): string => dayOfMs(now.getTime(), timeZone);
