/**
 * IPv4 addresses and networks: which destinations are inside the organisation and which are
 * outside, the question every exfiltration rule starts with.
 */
import { invalidOption } from "./errors";

/** An IPv4 network: the address as a 32-bit number and the prefix length. */
export interface Cidr {
  readonly base: number;
  readonly bits: number;
  readonly text: string;
}

/** Returns an IPv4 address as an unsigned 32-bit number, or undefined when the text is not one. */
export function ipv4ToNumber(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim().replace(/^::ffff:/, ""));
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

/**
 * Returns a parsed network such as `10.0.0.0/16`; throws an OptionError naming `name` otherwise.
 * @example
 * parseCidr("--internal", "10.0.0.0/16") // => { base: 167772160, bits: 16, text: "10.0.0.0/16" }
 */
export function parseCidr(name: string, text: string): Cidr {
  const [address, bitsText = "32"] = text.trim().split("/");
  const base = ipv4ToNumber(address);
  const bits = Number(bitsText);
  if (base === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) throw invalidOption(name, text, "an IPv4 network such as 10.0.0.0/16");
  return { base: bits === 0 ? 0 : (base & (~0 << (32 - bits))) >>> 0, bits, text: text.trim() };
}

/** Returns true when the address lies in the network. */
export function inCidr(address: number, cidr: Cidr): boolean {
  if (cidr.bits === 0) return true;
  return ((address & (~0 << (32 - cidr.bits))) >>> 0) === cidr.base;
}

/** Private, loopback, link-local and carrier-grade NAT ranges: inside by default. */
export const PRIVATE_NETWORKS: readonly Cidr[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10"].map((c) => parseCidr("network", c));

/**
 * Returns the networks to treat as inside, for a set of source and destination addresses.
 * Given networks win. Otherwise, when some source or destination is a public address, the private
 * ranges are inside; when every address is private (a lab, or a capture where the attacker is
 * private too), private ranges cannot tell inside from outside, so the /16 networks of the sources
 * are inside and everything else outside.
 */
export function insideNetworks(sources: readonly string[], destinations: readonly string[], given?: readonly Cidr[]): Cidr[] {
  if (given && given.length > 0) return [...given];
  const numbers = destinations.map(ipv4ToNumber).filter((n): n is number => n !== undefined);
  const isPublic = (n: number | undefined): boolean => n !== undefined && !PRIVATE_NETWORKS.some((c) => inCidr(n, c));
  if (numbers.length === 0 || numbers.some(isPublic) || sources.some((s) => isPublic(ipv4ToNumber(s)))) return [...PRIVATE_NETWORKS];
  const nets = new Set<string>();
  for (const s of sources) {
    const n = ipv4ToNumber(s);
    if (n !== undefined) nets.add(`${n >>> 24}.${(n >>> 16) & 255}.0.0/16`);
  }
  return [...nets].map((c) => parseCidr("network", c));
}

/** Returns the destinations that are outside `inside` (host names and non-addresses never are). */
export function outsideDestinations(destinations: readonly string[], inside: readonly Cidr[]): string[] {
  return destinations.filter((d) => {
    const n = ipv4ToNumber(d);
    return n !== undefined && !inside.some((c) => inCidr(n, c));
  });
}
