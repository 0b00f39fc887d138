import type { RpzSource } from '@srs/db';
import { zoneNames } from './zone-names';

const domain = (value: string, ascii: string | null = null, shortener = false): RpzSource => ({ type: 'domain', value, ascii, shortener });
const url = (value: string): RpzSource => ({ type: 'url', value, ascii: null, shortener: false });

describe('zoneNames', () => {
  it('blocks a domain and every name under it, a URL its exact host, each once, sorted', () => {
    expect(
      zoneNames(
        [url('https://pay.fee-check.example.com/x?y=1'), domain('Fee-Check.example.com.'), domain('fee-check.example.com')],
        new Set(),
      ),
    ).toEqual(['*.fee-check.example.com', 'fee-check.example.com', 'pay.fee-check.example.com']);
  });

  it('writes internationalised names in punycode, from the value when the row has no ascii form', () => {
    expect(zoneNames([domain('例子.中国')], new Set())).toEqual(['*.xn--fsqu00a.xn--fiqs8s', 'xn--fsqu00a.xn--fiqs8s']);
    expect(zoneNames([domain('bücher-paket.de', 'xn--bcher-paket-thb.de')], new Set())).toEqual([
      '*.xn--bcher-paket-thb.de',
      'xn--bcher-paket-thb.de',
    ]);
    expect(zoneNames([url('https://xn--fsqu00a.xn--fiqs8s/pay')], new Set())).toEqual(['xn--fsqu00a.xn--fiqs8s']);
  });

  it('leaves out what would block far more than the indicator: public suffixes, addresses, shorteners, reserved names', () => {
    const sources = [
      domain('co.uk'),
      domain('pages.dev'),
      url('http://192.0.2.7/login'),
      url('http://[2001:db8::1]/login'),
      url('https://bit.ly/3abc'),
      domain('sub.tinyurl.com'),
      domain('parcel.test'),
      domain('x', null),
      domain('abc.com', null, true),
    ];
    expect(zoneNames(sources, new Set())).toEqual([]);
  });

  it('never blocks a name on or under an allowlisted domain', () => {
    const sources = [url('https://docs.google.com/forms/d/e/x'), domain('google.com'), domain('smish.example.com')];
    expect(zoneNames(sources, new Set(['google.com']))).toEqual(['*.smish.example.com', 'smish.example.com']);
  });

  it('drops values that are no host name, so nothing in them reaches the zone file', () => {
    const hostile = [
      'evil.com. IN A 1.2.3.4',
      'a.com;comment',
      '$INCLUDE /etc/passwd',
      'a"b.com',
      'a\\.b.com',
      'a(b).com',
      'a_b.example.com',
    ];
    expect(
      zoneNames(
        hostile.map((v) => domain(v)),
        new Set(),
      ),
    ).toEqual([]);
    expect(zoneNames([url('not a url'), url('https://a.com%0aevil.com/')], new Set())).toEqual([]);
  });
});
