/** No 0/O, 1/l/I, i, o: a generated password is read off a screen and typed. 55 symbols. */
export const PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/**
 * A 12-character initial password (about 69 bits). The modulus is the alphabet's own length:
 * taken as 56, one byte in 64 picked no symbol and the password came out shorter, sometimes
 * under the 10-character minimum the server enforces. `b % 55` leans slightly to the first 36
 * symbols (256 = 4·55 + 36), which costs well under a bit.
 */
export function randomPassword(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  return Array.from(random(12), (b) => PASSWORD_ALPHABET[b % PASSWORD_ALPHABET.length]!).join("");
}
