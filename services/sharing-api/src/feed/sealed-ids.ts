import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * What the sharing API shows operators in place of its internal numbers. The
 * change sequence and the indicator ids are shared by every operator's
 * indicators, TLP:RED ones too: a gap between two numbers an operator sees
 * would count the others' RED indicators in between. So feed cursors, stream
 * event ids, `seq` fields, webhook message ids and indicator ids are the
 * numbers encrypted under SHARING_ID_KEY: one AES block holding a tag of what
 * the number is and the number (a keyed permutation: the same number always
 * gives the same id, and ids neither order nor count), base64url-encoded. A
 * block that does not decrypt to a known tag was not given out by a server
 * with this key. TAXII `next` values are sealed whole with AES-GCM.
 */
export type SealedKind = 'cursor' | 'indicator:c' | 'indicator:p' | 'sightings';

/** Eight bytes each: what the number in a block is, so one kind of id is never accepted as another. */
const TAGS: Record<SealedKind, Buffer> = {
  cursor: Buffer.from('srs:cur1', 'latin1'),
  'indicator:c': Buffer.from('srs:indc', 'latin1'),
  'indicator:p': Buffer.from('srs:indp', 'latin1'),
  // a position in an operator's sighting history: sightings' row numbers are every operator's, like the feed's
  sightings: Buffer.from('srs:sgh1', 'latin1'),
};

export class SealedIds {
  private readonly blockKey: Buffer;
  private readonly sealKey: Buffer;

  constructor(secret: string) {
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), info, 32));
    this.blockKey = derive('srs sharing ids: numbers');
    this.sealKey = derive('srs sharing ids: taxii next');
  }

  /** The opaque form of an internal number. */
  seal(kind: SealedKind, value: bigint): string {
    const block = Buffer.alloc(16);
    TAGS[kind].copy(block, 0);
    block.writeBigUInt64BE(value, 8);
    const cipher = createCipheriv('aes-256-ecb', this.blockKey, null).setAutoPadding(false);
    return Buffer.concat([cipher.update(block), cipher.final()]).toString('base64url');
  }

  /** The number behind an opaque id of this kind; undefined for anything this key did not seal as that kind. */
  open(kind: SealedKind, sealed: string): bigint | undefined {
    if (!/^[A-Za-z0-9_-]{22}$/.test(sealed)) return undefined;
    const decipher = createDecipheriv('aes-256-ecb', this.blockKey, null).setAutoPadding(false);
    const block = Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]);
    if (!block.subarray(0, 8).equals(TAGS[kind])) return undefined;
    return block.readBigUInt64BE(8);
  }

  /** Any text, encrypted and authenticated (AES-256-GCM), base64url. */
  sealText(text: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  openText(sealed: string): string | undefined {
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length < 12 + 16) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.sealKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }

  /** `c_…` or `p_…` for a feed id `c<n>` or `p<n>`. */
  indicatorId(feedId: string): string {
    const kind = feedId[0] === 'p' ? 'p' : 'c';
    return `${kind}_${this.seal(`indicator:${kind}`, BigInt(feedId.slice(1)))}`;
  }

  /** The feed id behind an indicator id this server gave out; undefined for anything else. */
  feedIdOf(indicatorId: string): string | undefined {
    const match = /^([cp])_(.+)$/.exec(indicatorId);
    if (!match) return undefined;
    const n = this.open(`indicator:${match[1] as 'c' | 'p'}`, match[2]!);
    return n !== undefined && n > 0n ? `${match[1]}${n}` : undefined;
  }
}

const cache = new Map<string, SealedIds>();

/** One SealedIds per key, so its keys are derived once. */
export function sealedIds(secret: string): SealedIds {
  let ids = cache.get(secret);
  if (!ids) cache.set(secret, (ids = new SealedIds(secret)));
  return ids;
}
