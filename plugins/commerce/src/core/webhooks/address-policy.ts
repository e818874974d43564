import { BlockList, isIP } from 'node:net';

// Where a webhook may not go (SSRF): loopback, private, link-local, carrier-grade NAT, multicast, reserved and
// unspecified addresses, in IPv4 and IPv6, including IPv4 written inside IPv6 (::ffff:127.0.0.1).

const blocked = new BlockList();
for (const [net, prefix] of [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['127.0.0.0', 8],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.0.0.0', 24],
	['192.0.2.0', 24],
	['192.168.0.0', 16],
	['198.18.0.0', 15],
	['198.51.100.0', 24],
	['203.0.113.0', 24],
	['224.0.0.0', 4],
	['240.0.0.0', 4],
] as const)
	blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
	['::', 128],
	['::1', 128],
	['fc00::', 7],
	['fe80::', 10],
	['ff00::', 8],
	['64:ff9b::', 96],
	['2001:db8::', 32],
] as const)
	blocked.addSubnet(net, prefix, 'ipv6');

/** Whether an IP address (v4 or v6) is not a public internet address. Anything that is not an IP counts as private. */
export function isPrivateAddress(address: string): boolean {
	const bare = address.replace(/^\[|\]$/g, '');
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
	if (mapped) return isPrivateAddress(mapped[1]);
	const family = isIP(bare);
	if (family === 4) return blocked.check(bare, 'ipv4');
	if (family === 6) return /^::ffff:/i.test(bare) || blocked.check(bare, 'ipv6');
	return true;
}

/** Host names that always mean this machine or its network, whatever DNS says. */
export function isLocalHostName(hostname: string): boolean {
	const h = hostname.toLowerCase().replace(/\.$/, '');
	return h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local') || h.endsWith('.internal');
}
