import { isIP } from 'node:net';
import * as os from 'node:os';

/**
 * Whether an address is this machine's loopback (`127.0.0.0/8`, `::1`, `localhost`): only this machine can
 * send to an endpoint listening there.
 *
 * @example isLoopback('0.0.0.0') // false
 */
export function isLoopback(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || bare.startsWith('127.') || bare.startsWith('::ffff:127.');
}

/**
 * The check of a request's `Host` header for an endpoint listening on `address`:`port`. A browser page can
 * point a name it controls at 127.0.0.1 (DNS rebinding) and send to the endpoint; its requests then carry
 * that name, so only the names of this endpoint are accepted: the address listened on; for loopback also
 * `localhost`, `127.0.0.1` and `[::1]`; for every interface (`0.0.0.0`, `::`) also the addresses of this
 * machine's interfaces and its host name. The port must be the one listened on.
 *
 * @example allowedHostCheck('127.0.0.1', 4573)('localhost:4573') // true
 */
export function allowedHostCheck(address: string, port: number): (host: string | undefined) => boolean {
  const names = new Set([normalised(address)]);
  if (isLoopback(address)) for (const name of ['localhost', '127.0.0.1', '::1']) names.add(name);
  if (address === '0.0.0.0' || address === '::') {
    for (const name of ['localhost', os.hostname()]) names.add(normalised(name));
    for (const entries of Object.values(os.networkInterfaces()))
      for (const entry of entries ?? []) names.add(normalised(entry.address));
  } else if (!isLoopback(address)) {
    names.add(normalised(os.hostname()));
  }
  return (host) => {
    if (host === undefined) return false;
    const parsed = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.trim());
    if (!parsed) return false;
    const hostPort = parsed[2] === undefined ? 80 : Number(parsed[2]);
    return hostPort === port && names.has(normalised(parsed[1]));
  };
}

function normalised(name: string): string {
  const bare = name
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  // An IPv4 address the dual-stack socket reports as IPv6.
  return isIP(bare) === 6 && bare.startsWith('::ffff:') && isIP(bare.slice(7)) === 4 ? bare.slice(7) : bare;
}
