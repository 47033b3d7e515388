/**
 * @module Webhook target guard: by default a webhook may not point into the server's own network (loopback,
 * private, link-local, carrier-grade NAT, unique-local, multicast, unspecified), so an API key cannot turn Omnis
 * into a proxy to internal services. Names are resolved and every address checked before each send. A
 * single-machine install that posts to a local service opts in with `webhookAllowPrivateTargets`.
 */
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** True for an address on the public internet ("unicast" is ipaddr.js's name for that range). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

/** The reason a URL's host may not be a webhook target, judged without DNS (literal addresses, localhost). */
export function literalTargetProblem(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'points at this machine';
  if (ipaddr.isValid(host) && !isPublicAddress(host)) return 'points at a private or local network address';
  return null;
}

/** Resolves the host and returns why it may not be called, or null when every address is public. */
export async function resolvedTargetProblem(url: URL): Promise<string | null> {
  const literal = literalTargetProblem(url);
  if (literal) return literal;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) return null;
  const addresses = await lookup(host, { all: true });
  const internal = addresses.find((a) => !isPublicAddress(a.address));
  return internal ? `resolves to ${internal.address}, a private or local network address` : null;
}
