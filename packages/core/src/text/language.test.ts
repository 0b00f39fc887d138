import { detectLanguage, detectLanguageStrictly } from './language';

describe('detectLanguage', () => {
  it.each([
    ['en', 'Are you coming to the party tonight? Let me know'],
    ['en', 'u still at home? im gonna be late'],
    ['id', 'Besok aku nggak bisa datang, tolong kabari ya'],
    ['id', 'Selamat! Anda mendapatkan hadiah dari undian'],
    ['zh', '明天下午我们一起去看电影吧'],
    ['zh', '点击 http://x.example 领取 iPhone 奖品'],
    ['fr', 'Bonjour, votre colis est en attente de livraison, merci de payer les frais'],
    ['es', 'Hola, su paquete está retenido en la aduana, pague aquí'],
    ['ar', 'تم تعليق حسابك البنكي، اضغط على الرابط'],
    ['ru', 'Ваша карта заблокирована, позвоните нам'],
    ['ja', 'お荷物のお届けにあがりましたが不在のため持ち帰りました'],
    ['ko', '고객님의 택배가 도착했습니다'],
  ])('answers %s for %s', (expected, text) => {
    expect(detectLanguage(text)).toBe(expected);
  });

  it.each(['', '12345', '😀😀', 'ok', 'Xq zzv plk'])('answers und when the evidence is thin: %j', (text) => {
    expect(detectLanguage(text)).toBe('und');
  });

  it.each([
    ['vi', 'Quý khách vui lòng đăng nhập tài khoản để nhận quà'],
    ['bn', 'আপনার অ্যাকাউন্ট বন্ধ হয়ে যাবে'],
    ['te', 'మీ ఖాతా నిలిపివేయబడింది'],
  ])('answers %s for %s', (expected, text) => {
    expect(detectLanguage(text)).toBe(expected);
  });

  it('reads strictly only with clear evidence', () => {
    expect(detectLanguageStrictly('Bonjour')).toBeUndefined();
    expect(detectLanguageStrictly('Votre colis est en attente de livraison, merci de payer les frais de douane')).toBe('fr');
    expect(detectLanguageStrictly('お荷物をお届けに参りました')).toBe('ja');
    expect(detectLanguageStrictly('好')).toBeUndefined();
  });
});
