/**
 * Which kind of spam a message is. High-precision rules first (they name kinds the
 * corpora lack: malware, smishing, premium rate); what no rule claims is split between
 * fraud and marketing by a learned model (Indonesian corpus labels, UCI prize wording,
 * Chinese seeds), and 'other' when that model cannot tell.
 */
import type { Signals } from './signals';
import type { SpamCategory } from './types';

export function ruleCategory(s: Signals): SpamCategory | undefined {
  if (s.apk || (s.malwareLure && s.url)) return 'malware';
  if (isSmishing(s)) return 'smishing';
  if (s.premiumNumber || s.tariff || s.shortCodeReply) return 'premium_rate';
  if (s.familyImpersonation) return 'fraud';
  return undefined;
}

/** A link (or a number to call back) dressed as a bank, a carrier, a toll or tax office, asking for details or money. */
export function isSmishing(s: Signals): boolean {
  // "You have won … claim at …" is a prize scam (fraud) unless it also poses as an account, a parcel, a toll or the tax office.
  if (s.prize && !s.accountAlert && !s.deliveryProblem && !s.parcel && !s.toll && !s.tax) return false;
  if (s.url) {
    if (s.credential || s.accountAlert || s.deliveryProblem) return true;
    if ((s.parcel || s.toll || s.tax) && (s.payment || s.urgency)) return true;
    if (s.bank && (s.payment || s.urgency)) return true;
    return false;
  }
  // Call-back phishing: "your card is blocked, call 0800 …".
  return s.phone && s.bank && (s.accountAlert || s.credential);
}

/**
 * The lure is strong enough to call the message spam whatever the model says: a link
 * with an account alert or credential request, or a parcel / toll / tax / bank pretext
 * with a failed delivery or a payment to make.
 */
export function isStrongLure(s: Signals): boolean {
  if (s.apk || s.familyImpersonation) return true;
  // "You have won ¥50,000, call 139… to claim": a prize with money and a number to call.
  if (!s.url) return (s.phone && s.bank && s.accountAlert && (s.credential || s.urgency)) || (s.phone && s.prize && s.money);
  if (s.malwareLure && !s.otp) return true;
  const pretext = s.parcel || s.toll || s.tax || s.bank;
  if (pretext && (s.deliveryProblem || s.payment || s.accountAlert || s.credential)) return true;
  if (s.accountAlert && (s.credential || s.urgency)) return true;
  return false;
}

/** Categories that the learned model splits. Others come only from rules. */
export function categoryFromFraudScore(p: number): SpamCategory {
  if (p >= 0.6) return 'fraud';
  if (p <= 0.4) return 'marketing';
  return 'other';
}
