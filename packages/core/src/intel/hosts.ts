import { domainToUnicode } from 'node:url';
import { parse } from 'tldts';

/**
 * Host names as indicators: which ones are real Internet domains, and what their
 * registrable domain is. Internal to `intel/`.
 */

/** A host name in ASCII (punycode) form: LDH labels of at most 63 characters, 253 in all. */
export const ASCII_HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export interface RegistrableDomain {
  /** Registrable domain in punycode, e.g. `xn--fsqu00a.xn--fiqs8s`. */
  ascii: string;
  /** The same in Unicode, e.g. `例子.中国`. */
  unicode: string;
}

/**
 * The registrable domain of an ASCII host name, or undefined when the host is
 * not on the public Internet's namespace: an IP address, a file name such as
 * `photo.jpg`, a number such as `1.50`, or a reserved name such as `例子.测试`.
 *
 * Private suffixes of the Public Suffix List count (`x.pages.dev` →
 * `x.pages.dev`, not `pages.dev`): smishing is often hosted on such platforms,
 * and an indicator naming the whole platform would block every tenant.
 */
export function registrableDomain(hostnameAscii: string): RegistrableDomain | undefined {
  if (!ASCII_HOSTNAME.test(hostnameAscii)) return undefined;
  const parsed = parse(hostnameAscii, { allowPrivateDomains: true, extractHostname: false });
  if (parsed.isIp || !parsed.domain) return undefined;
  // A private suffix sits under an ICANN one; check it so a private entry alone never vouches for a name.
  if (!parsed.isIcann && !(parsed.isPrivate && parse(hostnameAscii, { extractHostname: false }).isIcann)) return undefined;
  const ascii = parsed.domain;
  return { ascii, unicode: domainToUnicode(ascii) || ascii };
}

/**
 * Link shorteners: a link through one hides its destination, so its domain is
 * no evidence against anyone and it must be resolved before it is blocked.
 */
const SHORTENERS: ReadonlySet<string> = new Set([
  'bit.ly',
  'bitly.com',
  'bit.do',
  'tinyurl.com',
  't.co',
  'goo.gl',
  'ow.ly',
  'is.gd',
  'v.gd',
  'cutt.ly',
  'rb.gy',
  's.id',
  'shorturl.at',
  'tiny.cc',
  'rebrand.ly',
  't.ly',
  'buff.ly',
  'bl.ink',
  'short.gy',
  'shorte.st',
  'adf.ly',
  'lnkd.in',
  'soo.gd',
  'clck.ru',
  'qrco.de',
  'tiny.one',
  'urlz.fr',
  'shrtco.de',
  'surl.li',
  'u.to',
  'x.co',
  'gg.gg',
  'did.li',
  'vu.fr',
  'kutt.it',
  'ln.run',
  'han.gl',
  'me2.do',
  'url.kr',
  'dwz.cn',
  'suo.im',
  'mcaf.ee',
]);

export function isShortener(domainAscii: string): boolean {
  return SHORTENERS.has(domainAscii);
}
