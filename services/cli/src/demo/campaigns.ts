/**
 * Spam campaigns written for the demo, after the kinds regulators and
 * operators see today: parcel fees, tax refunds, bank alerts, "Hi Mum",
 * premium-rate prizes, job offers. Each is sent to many subscribers with small
 * variations (amounts, names, links, tracking codes), from a few rotating
 * senders, through a few reused domains and shortened links, so that the
 * worker clusters it into one campaign and its indicators reach the
 * reporters and operators they need to be shared. The domains are made up.
 */

/** Who a campaign's messages come from, with a relative weight. */
export type SenderSpec =
  { msisdn: string; count: number; weight: number } | { alphanumeric: string; weight: number } | { shortCode: string; weight: number };

export interface CampaignSpec {
  id: string;
  /** relative share of the campaign reports */
  weight: number;
  /** operators whose subscribers receive it, with relative weights */
  operators: Readonly<Record<string, number>>;
  /** when it starts and how long it runs, as fractions of the demo window */
  start: number;
  length: number;
  language: 'en' | 'fr' | 'id';
  /** templates: {url}, {amount}, {name}, {phone}, {brand} from the lists below; {code} a tracking code; {date} two days after the report */
  texts: readonly string[];
  urls?: readonly string[];
  amounts?: readonly string[];
  phones?: readonly string[];
  brands?: readonly string[];
  senders: readonly SenderSpec[];
}

const GB = { 'demo-uk': 3, 'demo-uk-2': 2 };

export const CAMPAIGNS: readonly CampaignSpec[] = [
  {
    id: 'parcel-fee-gb',
    weight: 14,
    operators: GB,
    start: 0.05,
    length: 0.5,
    language: 'en',
    texts: [
      'Royal Mail: Your parcel has a {amount} unpaid shipping fee. Pay now to avoid it being returned to sender: {url}',
      'Royal Mail: your parcel is waiting, an unpaid shipping fee of {amount} is due. Pay now or it will be returned to sender: {url}',
      'RoyalMail: Your package has a {amount} unpaid shipping fee, please pay now to avoid it being returned to sender: {url}',
    ],
    amounts: ['£1.45', '£1.99', '£2.99', '£0.99'],
    urls: ['https://royalmail.parcel-fee-uk.top/{code}', 'https://rm-redelivery-gb.info/track/{code}', 'https://bit.ly/3RmFee9'],
    senders: [
      { msisdn: 'GB', count: 6, weight: 5 },
      { alphanumeric: 'ROYALMAIL', weight: 2 },
    ],
  },
  {
    id: 'evri-missed-gb',
    weight: 8,
    operators: GB,
    start: 0.45,
    length: 0.4,
    language: 'en',
    texts: [
      'Evri: we missed you today. Your parcel {code} is held at our depot, book a new delivery slot for {amount} at {url}',
      'Evri: sorry we missed you. Parcel {code} is being held at our depot, book a new delivery slot ({amount}) at {url}',
    ],
    amounts: ['£0.99', '£1.49'],
    urls: ['https://evri-missed-delivery.top/{code}', 'https://tinyurl.com/evri-slot-4k2', 'https://evri.reschedule-parcel.xyz/r/{code}'],
    senders: [
      { msisdn: 'GB', count: 5, weight: 4 },
      { alphanumeric: 'EVRI-INFO', weight: 2 },
    ],
  },
  {
    id: 'hmrc-refund-gb',
    weight: 6,
    operators: GB,
    start: 0.2,
    length: 0.3,
    language: 'en',
    texts: [
      'HMRC: You are eligible for a tax refund of {amount}. Claim your refund before {date} at {url}',
      'HMRC notice: a tax refund of {amount} is waiting for you. Claim your refund before {date}: {url}',
    ],
    amounts: ['£268.40', '£412.75', '£189.10', '£356.00'],
    urls: ['https://hmrc-refund-claim.info/uk/{code}', 'https://gov-uk-taxrefund.top/claim'],
    senders: [
      { alphanumeric: 'HMRC-GOV', weight: 3 },
      { alphanumeric: 'HMRC', weight: 1 },
      { msisdn: 'GB', count: 3, weight: 2 },
    ],
  },
  {
    id: 'bank-device-gb',
    weight: 9,
    operators: GB,
    start: 0,
    length: 1,
    language: 'en',
    texts: [
      'HSBC UK: A payment of {amount} to a new payee was attempted from a new device. If this was NOT you, secure your account at {url}',
      'HSBC UK ALERT: a payment of {amount} to a new payee was made from a new device. If this was NOT you, secure your account now at {url}',
    ],
    amounts: ['£845.00', '£1,250.00', '£629.99', '£980.40'],
    urls: ['https://secure-account-verify.com/{code}', 'https://online-banking-review.top/login', 'https://bit.ly/3SecDev'],
    senders: [
      { msisdn: 'GB', count: 8, weight: 5 },
      { alphanumeric: 'SECURITY', weight: 2 },
      { alphanumeric: 'BANK-ALERT', weight: 2 },
    ],
  },
  {
    id: 'hi-mum',
    weight: 8,
    operators: { 'demo-uk': 3, 'demo-uk-2': 2, 'demo-fr': 0.5 },
    start: 0,
    length: 1,
    language: 'en',
    texts: [
      "Hi Mum, I've dropped my phone down the toilet, this is my new number. Can you message me on WhatsApp on {phone}? x",
      "Hi Mum, I've dropped my phone, this is my new number. Can you message me on WhatsApp on {phone} when you get this? x",
      "Hello Dad, I've broken my phone, this is my new number. Can you message me on WhatsApp on {phone}?",
    ],
    phones: ['+234 809 999 0412', '+91 99999 13057', '+234 809 999 0876'],
    senders: [{ msisdn: 'GB', count: 12, weight: 1 }],
  },
  {
    id: 'prize-premium-gb',
    weight: 5,
    operators: GB,
    start: 0.6,
    length: 0.25,
    language: 'en',
    texts: [
      'Congratulations! Your mobile number has won a {amount} {brand} voucher. To claim call {phone} now. Calls cost £3.60/min plus network charge',
      'WINNER! Your mobile number has won a {amount} {brand} voucher. To claim call {phone} before midnight. Calls cost £3.60/min',
    ],
    amounts: ['£500', '£1000', '£250'],
    brands: ['Tesco', 'Argos', 'Currys'],
    // Ofcom's drama premium-rate numbers, 09098 790xxx
    phones: ['09098 790123', '09098 790456', '09098 790789'],
    senders: [
      { shortCode: '61777', weight: 2 },
      { shortCode: '88099', weight: 1 },
      { alphanumeric: 'PRIZEDRAW', weight: 2 },
    ],
  },
  {
    id: 'job-offer-intl',
    weight: 6,
    operators: { 'demo-uk': 2, 'demo-uk-2': 1, 'demo-fr': 1.5, 'demo-id': 1 },
    start: 0.3,
    length: 0.7,
    language: 'en',
    texts: [
      'Hello {name}, your CV has been selected for a part-time remote job. Earn {amount} per day, paid daily. Contact our HR on WhatsApp now: {phone}',
      'Hi {name}, your CV has been selected for a part-time remote job! Earn {amount} per day, paid daily. Contact our HR on WhatsApp: {phone}',
    ],
    amounts: ['$200', '$300', '$450'],
    phones: ['+234 809 999 0188', '+91 99999 10442', '+1 202 555 0147'],
    senders: [
      { msisdn: 'NG', count: 4, weight: 3 },
      { msisdn: 'IN', count: 4, weight: 3 },
      { msisdn: 'US', count: 2, weight: 1 },
      { msisdn: 'AU', count: 2, weight: 1 },
    ],
  },
  {
    id: 'dvla-tax-gb',
    weight: 5,
    operators: GB,
    start: 0.7,
    length: 0.3,
    language: 'en',
    texts: [
      'DVLA: Your latest vehicle tax payment failed. Update your payment details by {date} to avoid a fine of up to £1000: {url}',
      'DVLA: your last vehicle tax payment has failed. Please update your payment details by {date} to avoid a fine of up to £1000: {url}',
    ],
    urls: ['https://dvla-vehicle-tax-renew.info/pay', 'https://tinyurl.com/dvla-tax-uk7'],
    senders: [
      { msisdn: 'GB', count: 4, weight: 3 },
      { alphanumeric: 'DVLA-UK', weight: 2 },
    ],
  },
  {
    id: 'account-locked-intl',
    weight: 3,
    operators: { 'demo-uk': 2, 'demo-uk-2': 1, 'demo-fr': 1, 'demo-id': 0.5 },
    start: 0.5,
    length: 0.5,
    language: 'en',
    texts: [
      'Amazon: we have suspended your account due to unusual activity. Verify your details within 24 hours at {url}',
      'Amazon: your account has been suspended due to unusual activity. Please verify your details within 24 hours: {url}',
    ],
    urls: ['https://amazon-account-verify.top/{code}', 'https://rb.gy/amzn-lock'],
    senders: [
      { msisdn: 'US', count: 3, weight: 3 },
      { msisdn: 'AU', count: 2, weight: 1 },
      { alphanumeric: 'AMAZON', weight: 1 },
    ],
  },
  {
    id: 'colis-fr',
    weight: 10,
    operators: { 'demo-fr': 1 },
    start: 0.1,
    length: 0.6,
    language: 'fr',
    texts: [
      'Colis: votre colis n° {code} est en attente, des frais de livraison de {amount} sont à régler. Payez ici: {url}',
      'Votre colis n° {code} est en attente au centre de tri, des frais de livraison de {amount} sont à régler ici: {url}',
    ],
    amounts: ['1,99 €', '2,99 €', '0,99 €'],
    urls: ['https://suivi-colis-livraison.top/fr/{code}', 'https://colis-frais-poste.info/p/{code}', 'https://urlz.fr/colis4k'],
    senders: [
      { msisdn: 'FR', count: 6, weight: 4 },
      { alphanumeric: 'INFO-COLIS', weight: 2 },
    ],
  },
  {
    id: 'ameli-fr',
    weight: 6,
    operators: { 'demo-fr': 1 },
    start: 0.35,
    length: 0.35,
    language: 'fr',
    texts: [
      'Ameli: votre carte Vitale arrive à expiration. Faites votre demande de renouvellement avant le {date} sur {url}',
      'Ameli: votre carte Vitale expire bientôt. Faites votre demande de renouvellement avant le {date} sur {url}',
    ],
    urls: ['https://ameli-renouvellement-carte.info/cv', 'https://bit.ly/ameli-cv24'],
    senders: [
      { alphanumeric: 'AMELI-INFO', weight: 2 },
      { msisdn: 'FR', count: 4, weight: 3 },
    ],
  },
  {
    id: 'cpf-fr',
    weight: 5,
    operators: { 'demo-fr': 1 },
    start: 0.55,
    length: 0.45,
    language: 'fr',
    texts: [
      'CPF: il vous reste {amount} sur votre compte formation. Utilisez vos droits avant le {date}: {url}',
      'Mon CPF: il vous reste {amount} de droits sur votre compte formation, à utiliser avant le {date}: {url}',
    ],
    amounts: ['1 250 €', '980 €', '1 500 €'],
    urls: ['https://mon-cpf-droits.top/{code}', 'https://bit.ly/cpf-droits-fr'],
    senders: [
      { shortCode: '38015', weight: 2 },
      { msisdn: 'FR', count: 3, weight: 2 },
      { alphanumeric: 'CPF-INFO', weight: 1 },
    ],
  },
  {
    id: 'hadiah-id',
    weight: 7,
    operators: { 'demo-id': 1 },
    start: 0,
    length: 0.6,
    language: 'id',
    texts: [
      'Selamat! Nomor Anda terpilih sebagai pemenang hadiah {amount} dari undian {brand}. Klaim hadiah Anda sekarang di {url}',
      'SELAMAT! Nomor Anda terpilih sebagai pemenang hadiah {amount} dari {brand}. Segera klaim hadiah Anda di {url}',
    ],
    amounts: ['Rp 50.000.000', 'Rp 25.000.000', 'Rp 100 juta'],
    brands: ['Shopee', 'Tokopedia'],
    urls: ['https://klaim-hadiah-undian.xyz/{code}', 'https://s.id/hadiah2024'],
    senders: [
      { msisdn: 'ID', count: 6, weight: 4 },
      { shortCode: '97788', weight: 1 },
    ],
  },
  {
    id: 'paket-id',
    weight: 6,
    operators: { 'demo-id': 1 },
    start: 0.4,
    length: 0.6,
    language: 'id',
    texts: [
      'Pelanggan Yth, paket Anda tertahan di gudang karena alamat tidak lengkap. Lengkapi data dan bayar biaya {amount} di {url}',
      'Pelanggan Yth, paket Anda tertahan di gudang kami karena alamat kurang lengkap. Lengkapi data dan bayar biaya {amount} di {url}',
    ],
    amounts: ['Rp 15.000', 'Rp 12.500'],
    urls: ['https://cek-resi-paket.top/id/{code}', 'https://s.id/paketku'],
    senders: [{ msisdn: 'ID', count: 5, weight: 1 }],
  },
];

/** Names after a greeting ("Hello {name}") and as payees. */
export const NAMES: Readonly<Record<'en' | 'fr' | 'id', readonly string[]>> = {
  en: ['Sarah', 'James', 'Priya', 'Tom', 'Aisha', 'Daniel', 'Emma', 'Oliver', 'J. Parker', 'A. Khan'],
  fr: ['Camille', 'Lucas', 'Léa', 'Hugo', 'Chloé', 'Karim'],
  id: ['Budi', 'Siti', 'Agus', 'Dewi', 'Rina'],
};
