import { setFlagsFromString } from 'node:v8';

/**
 * `COMMERCE_V8_HEAP=default` keeps V8's own, throughput-first sizing: ~100 MB more RSS under load, 30–50 % less CPU
 * per request (measured side by side, system_design.md §5).
 */
export const HEAP_MODE_VARIABLE = 'COMMERCE_V8_HEAP';

export type HeapMode = 'small' | 'default';

// Process-wide, not module state: `commerce serve` loads this file from the package while the server build carries its
// own bundled copy, and both must agree on what was applied.
const APPLIED = Symbol.for('@frostbuy/commerce:small-heap');
type Marked = typeof globalThis & { [APPLIED]?: boolean };

/**
 * Asks V8 to favour a small heap in the serving process, unless `COMMERCE_V8_HEAP=default`. Why: on a 64-bit machine
 * with plenty of memory V8 sizes the heap for throughput — the young generation grows to 32 MB and stays, old space
 * may grow to several times its live data before a full collection — so a store whose live heap is ~35 MB (a
 * 1,000-product catalog) sat at ~250 MB RSS under load, mostly garbage not yet collected. `--optimize-for-size` makes
 * V8 shrink the young generation when allocation slows and grow old space conservatively (system_design.md §5 has
 * the figures). V8 reads these heuristics at every collection, so setting the flag after start works, whereas heap
 * *size* flags such as `--max-semi-space-size` do not: V8 reads those once, when the isolate is created.
 * Returns the mode the process now runs with.
 */
export function favourSmallHeap(env: NodeJS.ProcessEnv = process.env): HeapMode {
	if (env[HEAP_MODE_VARIABLE] === 'default') return heapMode();
	const marked = globalThis as Marked;
	if (!marked[APPLIED]) {
		setFlagsFromString('--optimize-for-size');
		// And the young generation stays at its initial size instead of doubling up to 16 MB per semi-space while
		// requests allocate: another ~10–15 MB under load for no CPU we could measure beside the flag above.
		setFlagsFromString('--semi-space-growth-factor=1');
		marked[APPLIED] = true;
	}
	return 'small';
}

/** Whether this process asked V8 for a small heap (the detailed health report says so). */
export function heapMode(): HeapMode {
	return (globalThis as Marked)[APPLIED] ? 'small' : 'default';
}

/** How much the old generation may grow past its live data before the next full collection, during `astro build`. */
const BUILD_HEAP_GROWING_PERCENT = 30;

/**
 * Keeps `astro build` from growing its heap far past what it uses, unless `COMMERCE_V8_HEAP=default`. Why: while
 * prerendering, a build holds ~100 MB of live objects, but V8 (sizing for throughput on a machine with plenty of
 * memory) let the old generation grow to ~800 MB between full collections — a 10,000-product build peaked at 1.15–1.27
 * GB RSS. Letting old space grow 30 % past live data instead of up to 4× measured 610 MB at the same prerendering speed
 * (system_design.md §5); `--optimize-for-size` went lower still (470 MB) but prerendered 45 % slower. The integration
 * calls this when Astro starts a build; like the server's flag, V8 reads it at every collection.
 */
export function tightenBuildHeap(env: NodeJS.ProcessEnv = process.env): boolean {
	if (env[HEAP_MODE_VARIABLE] === 'default') return false;
	setFlagsFromString(`--heap-growing-percent=${BUILD_HEAP_GROWING_PERCENT}`);
	return true;
}
