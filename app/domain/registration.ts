/**
 * French registration numbers of a structure (pure):
 * SIRET — 14 digits whose Luhn checksum is valid (La Poste's SIRETs, 356 000 000 …, use a digit sum
 * divisible by 5 instead); RNA — « W » followed by 9 characters (digits, the 3rd may be a letter
 * for some prefectures), the number of an association in the national register.
 */

export function normalizeRegistration(value: string): string {
  return value.replace(/[\s.-]/g, "").toUpperCase();
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function isValidSiret(value: string): boolean {
  const v = normalizeRegistration(value);
  if (!/^\d{14}$/.test(v)) return false;
  if (v.startsWith("356000000")) return [...v].reduce((s, d) => s + Number(d), 0) % 5 === 0;
  return luhn(v);
}

export function isValidRna(value: string): boolean {
  return /^W[0-9]{2}[0-9A-Z][0-9]{6}$/.test(normalizeRegistration(value));
}
