/**
 * Email addresses, found from their `@` outwards rather than by a regular
 * expression: a pattern that starts with the local part's character class
 * would be tried at every position of every message (most characters are in
 * it), while `indexOf("@")` skips a message without one at memchr speed.
 */

const isLocal = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45; // a-z A-Z 0-9 . _ % + -
const isLabel = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45;
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/** The end of a domain (`shop.example.com`) starting at `from`, or -1: labels split by dots, at least two, the last of 2+ letters. */
function domainEnd(text: string, from: number): number {
  let i = from;
  let labels = 0;
  let lastEnd = -1;
  let lastAllLetters = false;
  while (labels < 10) {
    const start = i;
    let letters = true;
    for (; i < text.length && i - start < 63 && isLabel(text.charCodeAt(i)); i++) if (!isLetter(text.charCodeAt(i))) letters = false;
    if (i === start) break;
    labels++;
    lastEnd = i;
    lastAllLetters = letters && i - start >= 2;
    if (text.charCodeAt(i) !== 46 || !isLabel(text.charCodeAt(i + 1))) break; // no ".label" follows
    i++;
  }
  return labels >= 2 && lastAllLetters ? lastEnd : -1;
}

/** Replaces every email address in `text` with what `replace` returns. */
export function replaceEmails(text: string, replace: (email: string) => string): string {
  let at = text.indexOf("@");
  if (at < 0) return text;
  let out = "";
  let copied = 0;
  while (at >= 0) {
    let start = at;
    while (start > copied && at - start < 64 && isLocal(text.charCodeAt(start - 1))) start--;
    // A local part does not start or end with a dot ("see:.a@b.com" -> "a@b.com").
    while (start < at && text.charCodeAt(start) === 46) start++;
    const end = start < at && text.charCodeAt(at - 1) !== 46 ? domainEnd(text, at + 1) : -1;
    if (end > 0) {
      out += text.slice(copied, start) + replace(text.slice(start, end));
      copied = end;
      at = text.indexOf("@", end);
    } else at = text.indexOf("@", at + 1);
  }
  return copied === 0 ? text : out + text.slice(copied);
}
