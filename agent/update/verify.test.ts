import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { releaseStatement } from "../../lib/protocol/release";
import { UpdateError, verifyRelease } from "./verify";

const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { privateKey, pem: publicKey.export({ type: "spki", format: "pem" }).toString() };
};
const server = pair();
const release = { version: "0.2.0", arch: "x64" as const, sha256: "b".repeat(64) };
const statement = releaseStatement(release);
const signed = (text: string, key = server.privateKey) => sign(null, Buffer.from(text), key).toString("base64");

describe("verifyRelease", () => {
  it("returns the release a valid signature by the pinned key covers", () => {
    expect(verifyRelease(statement, signed(statement), server.pem, "x64")).toEqual(release);
  });
  it("refuses a statement signed by another key, or changed after signing", () => {
    expect(() => verifyRelease(statement, signed(statement, pair().privateKey), server.pem, "x64")).toThrow(/does not verify/);
    const forged = releaseStatement({ ...release, sha256: "c".repeat(64) });
    expect(() => verifyRelease(forged, signed(statement), server.pem, "x64")).toThrow(UpdateError);
    expect(() => verifyRelease(statement, "", server.pem, "x64")).toThrow(/does not verify/);
  });
  it("refuses a release for another architecture and a pinned key that is not ed25519", () => {
    expect(() => verifyRelease(statement, signed(statement), server.pem, "arm64")).toThrow(/linux-x64, this host is linux-arm64/);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(() => verifyRelease(statement, signed(statement), rsa, "x64")).toThrow(/not an ed25519 key/);
    expect(() => verifyRelease(statement, signed(statement), "junk", "x64")).toThrow(/not a public key/);
  });
});
