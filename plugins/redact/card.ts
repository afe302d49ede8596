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

const isDigit = (c: number) => c >= 48 && c <= 57;
/** A letter, digit or `_`: what `\b` counts as a word character. */
const isWord = (c: number) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * Replaces every card number in `text` with `secret`. A scan, not a regular
 * expression: it reads each run of digit groups (split by single spaces or
 * dashes, not touching a letter) once, then looks in the run for cards, the
 * longest at each start, left to right. So two cards in a row are both found,
 * a card beside a year ("4111 1111 1111 1111 2024") loses only the card, and
 * no input costs more than a pass over it (a regex that stops at 19 digits
 * would cut the second of two cards in half).
 */
export function replaceCards(text: string, secret: string): string {
  let out = "";
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    if (!isDigit(text.charCodeAt(i)) || (i > 0 && isWord(text.charCodeAt(i - 1)))) {
      i++;
      continue;
    }
    // A run of groups from i.
    const groups: Array<{ start: number; end: number }> = [];
    let j = i;
    for (;;) {
      const start = j;
      while (j < text.length && isDigit(text.charCodeAt(j))) j++;
      groups.push({ start, end: j });
      const sep = text.charCodeAt(j);
      if ((sep === 32 || sep === 45) && isDigit(text.charCodeAt(j + 1))) j++;
      else break;
    }
    // A last group that runs into a word ("1111abc") is not a number of its own.
    if (j < text.length && isWord(text.charCodeAt(j))) groups.pop();
    for (let s = 0; s < groups.length; ) {
      let digits = "";
      let best = -1;
      for (let e = s; e < groups.length; e++) {
        digits += text.slice(groups[e]!.start, groups[e]!.end);
        if (digits.length > 19) break;
        if (digits.length >= 13 && isCardNumber(digits)) best = e;
      }
      if (best < 0) {
        s++;
        continue;
      }
      out += text.slice(copied, groups[s]!.start) + secret;
      copied = groups[best]!.end;
      s = best + 1;
    }
    i = Math.max(j, i + 1);
  }
  return copied === 0 ? text : out + text.slice(copied);
}
