/**
 * Payment card numbers: a digit run is a card only when its issuer prefix and
 * length are a real scheme's and its Luhn check digit is right. Order ids,
 * epoch-millisecond timestamps and phone numbers fail one of the two.
 */

/** Issuer prefixes (IIN ranges) and the lengths each scheme issues. */
const SCHEMES: ReadonlyArray<{ from: number; to: number; digits: number; lengths: readonly number[] }> = [
  { from: 4, to: 4, digits: 1, lengths: [13, 16, 19] }, // Visa
  { from: 51, to: 55, digits: 2, lengths: [16] }, // Mastercard
  { from: 2221, to: 2720, digits: 4, lengths: [16] }, // Mastercard 2-series
  { from: 34, to: 34, digits: 2, lengths: [15] }, // American Express
  { from: 37, to: 37, digits: 2, lengths: [15] },
  { from: 6011, to: 6011, digits: 4, lengths: [16, 17, 18, 19] }, // Discover
  { from: 644, to: 649, digits: 3, lengths: [16, 17, 18, 19] },
  { from: 65, to: 65, digits: 2, lengths: [16, 17, 18, 19] },
  { from: 3528, to: 3589, digits: 4, lengths: [16, 17, 18, 19] }, // JCB
  { from: 300, to: 305, digits: 3, lengths: [14, 15, 16, 17, 18, 19] }, // Diners Club
  { from: 36, to: 36, digits: 2, lengths: [14, 15, 16, 17, 18, 19] },
  { from: 38, to: 39, digits: 2, lengths: [16, 17, 18, 19] },
  { from: 62, to: 62, digits: 2, lengths: [16, 17, 18, 19] }, // UnionPay
  { from: 50, to: 50, digits: 2, lengths: [16, 17, 18, 19] }, // Maestro (its 12-15 digit numbers are left: too like other ids)
  { from: 56, to: 69, digits: 2, lengths: [16, 17, 18, 19] },
];

/** Whether `digits` (digits only) passes the Luhn checksum. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Whether `digits` (digits only) is a card number: a scheme's prefix and length, and a valid Luhn digit. */
export function isCardNumber(digits: string): boolean {
  if (!luhnValid(digits)) return false; // The cheaper test first: it refuses 9 in 10.
  const first4 = Number(digits.slice(0, 4));
  return SCHEMES.some((s) => s.lengths.includes(digits.length) && inRange(Math.floor(first4 / 10 ** (4 - s.digits)), s.from, s.to));
}

const inRange = (prefix: number, from: number, to: number) => prefix >= from && prefix <= to;

/**
 * The span of `text` (digits in groups split by single spaces or dashes, as
 * the card pattern matches them) that is a card number: the longest run of
 * whole groups that is one. A match can hold more than a card ("4111 1111 1111
 * 1111 2024" is a card and a year), so every run of groups is tried.
 */
export function findCard(text: string): { start: number; end: number } | undefined {
  const groups: Array<{ start: number; end: number }> = [];
  const re = /\d+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) groups.push({ start: m.index, end: m.index + m[0].length });
  let best: { start: number; end: number; digits: number } | undefined;
  for (let i = 0; i < groups.length; i++) {
    let digits = "";
    for (let j = i; j < groups.length; j++) {
      digits += text.slice(groups[j]!.start, groups[j]!.end);
      if (digits.length > 19) break;
      if (digits.length >= 13 && (!best || digits.length > best.digits) && isCardNumber(digits)) best = { start: groups[i]!.start, end: groups[j]!.end, digits: digits.length };
    }
  }
  return best && { start: best.start, end: best.end };
}
