import { renderZoneFile } from './zone-file';

const timers = { refresh: 300, retry: 60, expire: 86_400, ttl: 60 };

describe('renderZoneFile', () => {
  it('writes the SOA with the serial and timers, an NS, and CNAME . (NXDOMAIN) for every name under the origin', () => {
    const text = renderZoneFile({ origin: 'rpz.example.net', serial: 42, names: ['*.smish.example.com', 'smish.example.com'], timers });
    expect(text.split('\n')).toEqual([
      '; DNS firewall (RPZ) of shared smishing domains, serial 42',
      '$TTL 60',
      'rpz.example.net. IN SOA rpz.example.net. hostmaster.rpz.example.net. 42 300 60 86400 60',
      'rpz.example.net. IN NS localhost.',
      '*.smish.example.com.rpz.example.net. IN CNAME .',
      'smish.example.com.rpz.example.net. IN CNAME .',
      '',
    ]);
  });

  it('answers a walled garden with its IPv4 and IPv6 addresses instead', () => {
    const text = renderZoneFile({
      origin: 'rpz',
      serial: 1,
      names: ['xn--fsqu00a.xn--fiqs8s'],
      timers,
      walledGarden: ['192.0.2.80', '2001:db8::80'],
    });
    expect(text).toContain('xn--fsqu00a.xn--fiqs8s.rpz. IN A 192.0.2.80\nxn--fsqu00a.xn--fiqs8s.rpz. IN AAAA 2001:db8::80\n');
    expect(text).not.toContain('CNAME');
  });

  it('leaves out a name that would outgrow a DNS name under the origin', () => {
    const label = 'a'.repeat(63);
    const long = `${label}.${label}.${label}.${'b'.repeat(50)}.com`;
    const text = renderZoneFile({ origin: 'rpz.example.net', serial: 1, names: [long, 'ok.example.com'], timers });
    expect(text).not.toContain(long);
    expect(text).toContain('ok.example.com.rpz.example.net. IN CNAME .');
  });

  it('writes an empty zone as a valid one: SOA and NS only', () => {
    const lines = renderZoneFile({ origin: 'rpz.example.net', serial: 7, names: [], timers }).trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain(' 7 300 ');
  });
});
