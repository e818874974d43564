import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Medusa-style ids: `<prefix>_<ULID>` (26 Crockford base32 chars: 48-bit time, 80 random bits). The time part keeps
 * ids roughly sortable; the random part makes them unguessable, which carts and orders rely on.
 */
export function newId(prefix: string, now = Date.now()): string {
	let time = '';
	let t = now;
	for (let i = 0; i < 10; i++) {
		time = CROCKFORD[t % 32] + time;
		t = Math.floor(t / 32);
	}
	const bytes = randomBytes(16);
	let random = '';
	for (let i = 0; i < 16; i++) random += CROCKFORD[bytes[i] % 32];
	return `${prefix}_${time}${random}`;
}
