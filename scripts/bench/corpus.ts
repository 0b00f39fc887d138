/**
 * Synthetic reports for the benchmark: campaign templates whose links,
 * amounts, names and tracking codes vary from message to message, as real
 * campaigns do, plus some mistaken reports. Deterministic (seeded), so runs
 * compare.
 */
const BRANDS = [
  'Royal Mail',
  'Evri',
  'DPD',
  'USPS',
  'La Poste',
  'HMRC',
  'Barclays',
  'Lloyds',
  'Netflix',
  'PayPal',
  'EE',
  'Vodafone',
  'DVLA',
  'NHS',
  'Amazon',
];
const LURES = [
  '{brand}: your parcel is held, a {amount} fee is unpaid. Pay at https://{domain}/track?id={token} today',
  '{brand}: we could not deliver your package {token}. Reschedule at http://{domain}/redeliver',
  'Dear {name}, your {brand} account has been suspended. Verify your details at https://{domain}/login',
  '{brand} ALERT: a payment of {amount} was attempted. If this was not you call {phone} immediately',
  'You are owed a tax refund of {amount} from {brand}. Claim now at {domain}/claim/{token}',
  'Final notice: unpaid toll of {amount}. Pay at https://{domain} before a late fee is added',
  'Congratulations {name}! You have won a {amount} {brand} voucher. Claim at bit.ly/{token}',
  'Hi mum, I dropped my phone in the toilet, this is my new number. Can you message me on WhatsApp {phone}',
  'Your {brand} bill could not be paid. Update your card at https://{domain}/billing to avoid disconnection',
  '{brand}: new sign-in from an unknown device. If this was not you, secure your account at {domain}',
];
const HAM = [
  'Your verification code is {num}. Do not share it with anyone.',
  'Running 10 mins late, see you at the station',
  'Your {brand} parcel will be delivered today between 10:00 and 11:00.',
];
const NAMES = ['John', 'Sarah', 'Ahmed', 'Marie', 'Wei', 'Carlos', 'Priya', 'Tom'];

export interface BenchText {
  text: string;
  campaign: string;
  reporter: number;
  operator: string;
}

export function benchTexts(n: number, campaigns = 300): BenchText[] {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const token = () =>
    Math.floor(random() * 36 ** 6)
      .toString(36)
      .toUpperCase()
      .padStart(6, '7');
  const templates = Array.from({ length: campaigns }, (_, i) => ({
    id: `c${i}`,
    lure: i % 12 === 11 ? pick(HAM) : LURES[i % LURES.length]!,
    brand: BRANDS[i % BRANDS.length]!,
    // A campaign rotates a few domains of its own.
    domains: Array.from(
      { length: 3 },
      (_, d) => `${BRANDS[i % BRANDS.length]!.toLowerCase().replace(/\s/g, '')}-${token().toLowerCase()}${d}.example`,
    ),
    suffix: i >= LURES.length ? ` Ref ${i}.` : '',
  }));
  return Array.from({ length: n }, () => {
    // Campaign sizes follow a long tail, as they do in practice.
    const t = templates[Math.floor(campaigns * random() ** 2)]!;
    const text =
      t.lure
        .replace('{brand}', t.brand)
        .replace('{amount}', `£${(1 + random() * 300).toFixed(2)}`)
        .replace('{domain}', pick(t.domains))
        .replace('{token}', token())
        .replace('{name}', pick(NAMES))
        .replace('{phone}', `07${Math.floor(100000000 + random() * 899999999)}`)
        .replace('{num}', String(Math.floor(100000 + random() * 899999))) + t.suffix;
    return { text, campaign: t.id, reporter: Math.floor(random() * 2000), operator: random() < 0.7 ? 'demo-uk' : 'demo-fr' };
  });
}
