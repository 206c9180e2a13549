import { describe, expect, it } from 'vitest';
import {
  endpointProblem,
  isAllowedHost,
  isPublicAddress,
  parseAllowedHosts,
} from '../../../src/domain/xapi/lrs-address.js';

/** Where the app may send xAPI statements (review 27-4): public https, or a host the operator allows. */
describe('LRS addresses', () => {
  it('calls only public unicast addresses public, IPv4 and IPv6, IPv4-mapped included', () => {
    for (const ip of ['8.8.8.8', '93.184.216.34', '2001:4860:4860::8888', '2a00:1450:4001:80b::200e'])
      expect(isPublicAddress(ip), ip).toBe(true);
    for (const ip of [
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '127.0.0.1',
      '127.9.9.9',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:169.254.169.254',
      '::ffff:10.0.0.1',
      '64:ff9b::7f00:1',
      'not-an-ip',
    ])
      expect(isPublicAddress(ip), ip).toBe(false);
  });

  it('refuses IPv4-compatible IPv6 (::/96), which some stacks route to the IPv4 address it carries', () => {
    for (const ip of ['::127.0.0.1', '[::127.0.0.1]', '::7f00:1', '::a9fe:a9fe', '::10.0.0.1', '::8.8.8.8'])
      expect(isPublicAddress(ip), ip).toBe(false);
  });

  it('reads XAPI_ALLOWED_HOSTS as host[:port] entries, and refuses anything else', () => {
    expect(parseAllowedHosts('')).toEqual([]);
    expect(parseAllowedHosts(' 127.0.0.1 , LRS.internal:8443,[::1]:9000 ')).toEqual([
      '127.0.0.1',
      'lrs.internal:8443',
      '[::1]:9000',
    ]);
    for (const bad of ['http://lrs.internal', 'lrs.internal/xAPI', 'a b', 'host:99999', 'host:', ',,', '::1'])
      expect(parseAllowedHosts(bad), bad).toBeNull();
  });

  it('matches an allowed host with any port, or with its own port only', () => {
    expect(isAllowedHost(['127.0.0.1'], '127.0.0.1', '8100')).toBe(true);
    expect(isAllowedHost(['127.0.0.1:8100'], '127.0.0.1', '8100')).toBe(true);
    expect(isAllowedHost(['127.0.0.1:8100'], '127.0.0.1', '8101')).toBe(false);
    expect(isAllowedHost(['lrs.internal:443'], 'LRS.internal', '')).toBe(false);
    expect(isAllowedHost(['lrs.internal:443'], 'lrs.internal', '443')).toBe(true);
    expect(isAllowedHost(['[::1]'], '[::1]', '80')).toBe(true);
    expect(isAllowedHost(['[::1]'], '::1', '80')).toBe(true);
    expect(isAllowedHost([], 'localhost', '80')).toBe(false);
  });

  it('asks for https and a public address unless the host is allowed', () => {
    const none: string[] = [];
    expect(endpointProblem('https://lrs.example.com/xAPI/', none)).toBeNull();
    expect(endpointProblem('http://lrs.example.com/xAPI/', none)).toBe('https');
    for (const url of [
      'https://10.0.0.1/xAPI/',
      'https://169.254.169.254/latest/',
      'https://[::1]/xAPI/',
      'https://[::ffff:127.0.0.1]/xAPI/',
      'https://[fe80::1]/xAPI/',
    ])
      expect(endpointProblem(url, none), url).toBe('private');
    expect(endpointProblem('http://127.0.0.1:8100/xAPI/', ['127.0.0.1'])).toBeNull();
    expect(endpointProblem('http://127.0.0.1:8100/xAPI/', ['127.0.0.1:9999'])).toBe('https');
    expect(endpointProblem('not a url', none)).toBe('invalid');
  });
});
