import { createPublicKey, verify } from "node:crypto";
import { parseReleaseStatement, type Release, type ReleaseArch } from "../../lib/protocol/release";

export class UpdateError extends Error {}

/**
 * Accepts a release statement only when it carries a valid ed25519 signature by the key pinned
 * at enrollment and names this host's architecture. What the statement says is then the only
 * source of the version and the sha256 the download must match.
 */
export function verifyRelease(statement: string, signatureB64: string, pinnedKeyPem: string, arch: ReleaseArch): Release {
  let key;
  try {
    key = createPublicKey(pinnedKeyPem);
  } catch {
    throw new UpdateError("the pinned release key in the config is not a public key; enroll again");
  }
  if (key.asymmetricKeyType !== "ed25519") throw new UpdateError("the pinned release key is not an ed25519 key; enroll again");
  const signature = Buffer.from(signatureB64.trim(), "base64");
  if (signature.length !== 64 || !verify(null, Buffer.from(statement), key, signature)) {
    throw new UpdateError("the release signature does not verify against the key pinned at enrollment; not updating");
  }
  const release = parseReleaseStatement(statement);
  if (!release) throw new UpdateError("the signed release statement is malformed; not updating");
  if (release.arch !== arch) throw new UpdateError(`the signed release is for linux-${release.arch}, this host is linux-${arch}; not updating`);
  return release;
}
