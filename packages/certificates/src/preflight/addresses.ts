import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * An IP address in one spelling, so that two spellings of the same address
 * compare equal (`0:0::1` is `::1`); undefined when it is not an address.
 */
export function canonicalAddress(text: string): string | undefined {
  const address = text.trim();
  if (isIP(address) === 4) return address;
  // the WHATWG URL parser writes an IPv6 address in its canonical (RFC 5952) form
  if (isIP(address) === 6) return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  return undefined;
}

/** A comma-separated list of IP addresses (letsencrypt PublicAddress), canonical; undefined if one is not an address. */
export function parseAddressList(text: string): string[] | undefined {
  const items = text.split(',').map((item) => item.trim()).filter(Boolean);
  const addresses = items.map(canonicalAddress);
  return addresses.every((address) => address !== undefined) ? addresses : undefined;
}

/**
 * A comma-separated list of DNS servers (letsencrypt CheckResolver): each
 * `IP`, `IPv4:PORT` or `[IPv6]:PORT`, in the form node's Resolver.setServers
 * takes; undefined if one is none of these.
 */
export function parseResolverServers(text: string): string[] | undefined {
  const servers: string[] = [];
  for (const item of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const withPort = /^(?:\[([^\]]+)\]|(\d{1,3}(?:\.\d{1,3}){3})):(\d{1,5})$/.exec(item);
    const host = withPort === null ? item : (withPort[1] ?? withPort[2]!);
    const address = canonicalAddress(host);
    const port = withPort === null ? undefined : Number(withPort[3]);
    if (address === undefined || (port !== undefined && (port < 1 || port > 65535))) return undefined;
    servers.push(port === undefined ? address : isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`);
  }
  return servers;
}

/** The resolved addresses that are this server's, exactly (an address, not a subnet: 127.0.0.2 is not 127.0.0.1). */
export function matchingAddresses(resolved: readonly string[], serverAddresses: readonly string[]): string[] {
  const ours = new Set(serverAddresses.map((address) => canonicalAddress(address) ?? address));
  return resolved.filter((address) => ours.has(canonicalAddress(address) ?? address));
}

/** This machine's interface addresses (the edge: os.networkInterfaces), canonical. */
export function localAddresses(): string[] {
  const found = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((entry) => canonicalAddress(entry.address)));
  return [...new Set(found.filter((address): address is string => address !== undefined))];
}
