import { beforeEach, describe, expect, it, vi } from 'vitest';

// The serving process asks V8 for its small-heap heuristics (plugins/commerce/src/runtime/small-heap.ts); the flag is
// process-wide, so V8 itself is replaced here and the api test fast-path.test.ts checks both real entries.
const setFlagsFromString = vi.fn();
vi.mock('node:v8', () => ({ setFlagsFromString }));
const { favourSmallHeap, heapMode } = await import('../../plugins/commerce/src/runtime/small-heap.ts');

beforeEach(() => {
	setFlagsFromString.mockClear();
	delete (globalThis as Record<symbol, unknown>)[Symbol.for('@frostbuy/commerce:small-heap')];
});

describe('favourSmallHeap', () => {
	it('sets --optimize-for-size once per process, however many copies of the module ask', () => {
		expect(heapMode()).toBe('default');
		expect(favourSmallHeap({})).toBe('small');
		expect(favourSmallHeap({})).toBe('small');
		expect(setFlagsFromString.mock.calls).toEqual([['--optimize-for-size'], ['--semi-space-growth-factor=1']]);
		expect(heapMode()).toBe('small');
	});

	it('leaves V8 alone with COMMERCE_V8_HEAP=default', () => {
		expect(favourSmallHeap({ COMMERCE_V8_HEAP: 'default' })).toBe('default');
		expect(setFlagsFromString).not.toHaveBeenCalled();
		expect(heapMode()).toBe('default');
	});
});

describe('tightenBuildHeap', () => {
	it('lets the build heap grow 30 % past its live data, unless COMMERCE_V8_HEAP=default', async () => {
		const { tightenBuildHeap } = await import('../../plugins/commerce/src/runtime/small-heap.ts');
		expect(tightenBuildHeap({})).toBe(true);
		expect(setFlagsFromString.mock.calls).toEqual([['--heap-growing-percent=30']]);
		setFlagsFromString.mockClear();
		expect(tightenBuildHeap({ COMMERCE_V8_HEAP: 'default' })).toBe(false);
		expect(setFlagsFromString).not.toHaveBeenCalled();
	});
});
