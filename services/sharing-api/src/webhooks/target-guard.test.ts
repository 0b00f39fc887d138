import { guardedLookup, publicAddress, TargetRefusedError } from './target-guard';

describe('webhook target guard', () => {
  it('takes public unicast addresses only', () => {
    for (const address of ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c', '::ffff:8.8.8.8'])
      expect(publicAddress(address)).toBe(true);
    const refused = [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::7f00:1',
      '::127.0.0.1',
      '::a9fe:a9fe',
      '::808:808',
      '::ffff:0:7f00:1',
      '64:ff9b::7f00:1',
      '64:ff9b:1::a00:1',
      '2002:7f00:1::1',
      '2001:0:4136:e378:8000:63bf:80ff:fffe',
      'not an address',
    ];
    for (const address of refused) expect({ address, allowed: publicAddress(address) }).toEqual({ address, allowed: false });
  });

  it('refuses a host name that resolves to loopback when connecting, unless private targets are allowed', async () => {
    const resolve = (allow: boolean) =>
      new Promise<unknown>((done) => guardedLookup(allow)('localhost', { all: true }, (err, addresses) => done(err ?? addresses)));
    expect(await resolve(false)).toBeInstanceOf(TargetRefusedError);
    expect(await resolve(true)).toEqual(
      expect.arrayContaining([expect.objectContaining({ address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) })]),
    );
  });
});
