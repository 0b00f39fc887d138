/**
 * What is reported besides the campaigns: spam that comes once or a few
 * times, and legitimate messages reported by mistake. English and Indonesian
 * come from the shipped corpus samples; French ones, which the corpora lack,
 * are written here. Legitimate notices come with the sender IDs they would
 * carry: subscribers report those by mistake more than personal texts.
 */

export interface Notice {
  sender: string;
  text: string;
}

export const NOTICES: Readonly<Record<'en' | 'fr' | 'id', readonly Notice[]>> = {
  en: [
    {
      sender: 'PARCELCO',
      text: 'PARCELCO: your parcel 7H3K29 will be delivered today between 10:15 and 11:15. Track or change it in the PARCELCO app.',
    },
    { sender: 'MYBANK', text: 'Your MyBank verification code is 493021. Never share this code: we will never ask you for it.' },
    { sender: 'SURGERY', text: 'Reminder: you have an appointment with Dr Patel on Thursday at 09:40. Please arrive 10 minutes early.' },
    { sender: 'PHARMACY', text: 'Your prescription is ready to collect from Market Street Pharmacy. Opening hours 9am to 6pm.' },
    {
      sender: 'NHS',
      text: 'NHS: your booster vaccination is booked for Tuesday at 14:20 at Riverside Health Centre. Reply CANCEL to cancel.',
    },
  ],
  fr: [
    { sender: 'PHARMACIE', text: 'Votre commande est prête, vous pouvez la retirer à la pharmacie du Marché aux heures d’ouverture.' },
    { sender: 'MABANQUE', text: 'Votre code de confirmation est 582913. Ne le communiquez à personne, même à un conseiller.' },
    { sender: 'CABINET', text: 'Rappel: rendez-vous demain à 10h30 chez le Dr Martin. Merci de prévenir en cas d’empêchement.' },
  ],
  id: [{ sender: 'KLINIK', text: 'Pengingat: jadwal kontrol Anda di Klinik Sehat besok pukul 09.00. Mohon datang 15 menit lebih awal.' }],
};

/** Personal texts in French, for mistaken reports (the English and Indonesian ones come from the corpora). */
export const FRENCH_PERSONAL: readonly string[] = [
  'Coucou, on se retrouve à 19h devant le cinéma ?',
  'Je suis en retard de 10 minutes, désolé ! Commencez sans moi.',
  'Tu peux acheter du pain en rentrant stp ? Merci !',
  'Bien arrivés, il fait super beau ici. Bisous à tous',
];

/** French spam that is not part of a campaign: sent a few times each. */
export const FRENCH_SPAM: readonly string[] = [
  'Félicitations ! Vous avez gagné un iPhone 15. Pour le recevoir, répondez OUI au 38015 (0,80 €/SMS).',
  'Votre abonnement Netflix est suspendu. Mettez à jour vos informations de paiement sur https://netflix-compte-maj.top/fr',
  'Dernier rappel: amende impayée de 35 € pour excès de vitesse. Réglez-la avant majoration sur https://antai-amende-paiement.info',
  'Votre banque a détecté une opération suspecte de 890 € sur votre compte. Si ce n’est pas vous, appelez immédiatement le 01 99 00 12 34.',
  'Promo exceptionnelle: -70% sur toute la boutique ce week-end seulement ! https://mega-promo-mode.shop STOP au 36111',
  'Un remboursement de 24,50 € de votre opérateur est en attente. Confirmez vos coordonnées bancaires sur https://rembourse-forfait.top',
  'Vous avez reçu un nouveau message vocal de votre banque. Pour l’écouter, cliquez ici: https://messagerie-vocale-fr.xyz/ecouter',
  'Crit’Air: votre vignette doit être renouvelée, sinon amende de 68 €. Commandez-la sur https://critair-vignette.top',
];

/** Sender IDs and short codes the corpus's one-off spam comes from when its text names none. */
export const BACKGROUND_SENDER_IDS: readonly string[] = ['FREEMSG', 'WINNER', 'TXTOFFERS', 'PRIZES', 'URGENT', 'PROMO'];
