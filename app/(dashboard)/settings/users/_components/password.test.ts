import { describe, expect, it } from "vitest";
import { PASSWORD_ALPHABET, randomPassword } from "./password";

describe("randomPassword", () => {
  it("is 12 characters of the unambiguous alphabet, long enough for the 10-character minimum", () => {
    for (let i = 0; i < 50; i++) {
      const p = randomPassword();
      expect(p).toHaveLength(12);
      for (const ch of p) expect(PASSWORD_ALPHABET).toContain(ch);
    }
  });
  it("has a symbol for every byte value: no byte shortens the password", () => {
    for (let b = 0; b < 256; b++) expect(randomPassword(() => new Uint8Array(12).fill(b)), `byte ${b}`).toHaveLength(12);
  });
  it("maps each random byte onto the alphabet, wrapping at its length", () => {
    expect(randomPassword(() => new Uint8Array([0, 1, 54, 55, 56, 255, 0, 0, 0, 0, 0, 0]))).toBe("ab9abNaaaaaa");
  });
  it("leaves out characters that read alike", () => {
    for (const ch of "0O1lIio") expect(PASSWORD_ALPHABET).not.toContain(ch);
    expect(new Set(PASSWORD_ALPHABET).size).toBe(PASSWORD_ALPHABET.length);
  });
});
