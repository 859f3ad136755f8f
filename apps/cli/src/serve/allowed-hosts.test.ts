import * as os from 'node:os';
import { allowedHostCheck, isLoopback } from './allowed-hosts';

describe('allowedHostCheck', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1:4573', true],
    ['127.0.0.1', 'localhost:4573', true],
    ['127.0.0.1', 'LOCALHOST:4573', true],
    ['127.0.0.1', '[::1]:4573', true],
    ['::1', '[::1]:4573', true],
    ['127.0.0.1', 'evil.example:4573', false],
    ['127.0.0.1', 'attacker.rebind.network:4573', false],
    ['127.0.0.1', '127.0.0.1:80', false],
    ['127.0.0.1', '127.0.0.1', false],
    ['127.0.0.1', '', false],
    ['127.0.0.1', undefined, false],
    ['0.0.0.0', '127.0.0.1:4573', true],
    ['0.0.0.0', `${os.hostname()}:4573`, true],
    ['0.0.0.0', 'evil.example:4573', false],
    ['192.0.2.10', '192.0.2.10:4573', true],
    ['192.0.2.10', 'localhost:4573', false],
  ])('for an endpoint on %s port 4573 answers Host %j with %s', (address, host, allowed) => {
    const check = allowedHostCheck(address, 4573);

    expect(check(host)).toBe(allowed);
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.5', false],
  ])('answers %s with %s', (address, loopback) => {
    expect(isLoopback(address)).toBe(loopback);
  });
});
