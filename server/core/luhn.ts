/** Luhn check over a digit string (the last digit is the check digit): IMEIs and their check digit. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (d < 0 || d > 9) return false;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** A 15-digit IMEI whose check digit is right. */
export function isValidImei(imei: string): boolean {
  return /^\d{15}$/.test(imei) && luhnValid(imei);
}
