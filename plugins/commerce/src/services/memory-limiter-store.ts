import { RateLimiterRes } from 'rate-limiter-flexible';
import type { LimiterSpec, LimiterStore } from './rate-limit.ts';

interface Counter {
	value: number;
	/** Epoch ms; null for a counter that never expires (duration 0). */
	expiresAt: number | null;
}

/** Expired counters removed per write, from the oldest: more than one, so the map shrinks back after a burst. */
const SWEEP_PER_WRITE = 4;

/**
 * The per-process store of the limits: rate-limiter-flexible's `RateLimiterMemory` semantics (fixed windows, `block`
 * = points + 1 for a time, `penalty` counts without refusing) without its one `setTimeout` per key. Those timers were
 * what made a request cost more as distinct clients piled up: each is created inside a request, so besides the timer
 * it keeps that request's async context (AsyncLocalStorage stores) alive for the whole window, and the garbage
 * collector walks all of it again and again (server CPU per guest lookup ×2 at 82,000 addresses, `npm run
 * bench:limiter`). Here a counter is one small map entry: an expired one reads as absent, and every write removes up
 * to `SWEEP_PER_WRITE` expired counters from the oldest end of the map (insertion order; a new window re-inserts its
 * key, so a limiter's windows expire in map order, and a longer `block` only delays its neighbours' removal). The
 * limits give every window a duration (a counter without one, duration 0, would stop the sweep at it).
 */
export class MemoryLimiterStore implements LimiterStore {
	private readonly points: number;
	private readonly durationSeconds: number;
	private readonly counters = new Map<string, Counter>();

	constructor(spec: LimiterSpec) {
		this.points = spec.points;
		this.durationSeconds = spec.duration;
	}

	/** How many counters are held, expired ones not yet swept included (for tests). */
	get size(): number {
		return this.counters.size;
	}

	async consume(key: string | number, points = 1): Promise<RateLimiterRes> {
		const res = this.increment(String(key), points);
		if (res.consumedPoints > this.points) throw res;
		return res;
	}

	async penalty(key: string | number, points = 1): Promise<RateLimiterRes> {
		return this.increment(String(key), points);
	}

	async get(key: string | number): Promise<RateLimiterRes | null> {
		const now = Date.now();
		const counter = this.live(String(key), now);
		return counter ? this.result(counter, now, false) : null;
	}

	async block(key: string | number, secDuration: number): Promise<RateLimiterRes> {
		const now = Date.now();
		return this.result(this.start(String(key), this.points + 1, secDuration, now), now, true);
	}

	async delete(key: string | number): Promise<boolean> {
		return this.counters.delete(String(key));
	}

	private live(key: string, now: number): Counter | undefined {
		const counter = this.counters.get(key);
		return counter && (counter.expiresAt === null || counter.expiresAt > now) ? counter : undefined;
	}

	private increment(key: string, points: number): RateLimiterRes {
		const now = Date.now();
		const counter = this.live(key, now);
		if (counter) {
			counter.value += points;
			return this.result(counter, now, false);
		}
		return this.result(this.start(key, points, this.durationSeconds, now), now, true);
	}

	/** A new window: re-inserted at the young end of the map, then a few expired counters swept from the old end. */
	private start(key: string, value: number, seconds: number, now: number): Counter {
		const counter: Counter = { value, expiresAt: seconds > 0 ? now + seconds * 1000 : null };
		this.counters.delete(key);
		this.counters.set(key, counter);
		let swept = 0;
		for (const [oldest, candidate] of this.counters) {
			if (swept >= SWEEP_PER_WRITE || candidate.expiresAt === null || candidate.expiresAt > now) break;
			this.counters.delete(oldest);
			swept++;
		}
		return counter;
	}

	private result(counter: Counter, now: number, first: boolean): RateLimiterRes {
		const msBeforeNext = counter.expiresAt === null ? -1 : counter.expiresAt - now;
		return new RateLimiterRes(Math.max(this.points - counter.value, 0), msBeforeNext, counter.value, first);
	}
}
