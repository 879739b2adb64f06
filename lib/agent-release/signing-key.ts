/**
 * The ed25519 key that signs the agent releases this server ships. IW_AGENT_SIGNING_KEY (a
 * PKCS#8 PEM) when set, which every instance behind one load balancer must share; otherwise
 * generated on first use and kept in IW_DATA_DIR/agent-signing-key.pem (0600). Agents pin the
 * public half at enrollment: replacing the key means every agent must enroll again before it
 * accepts another update.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { EnvError } from "@/lib/env";

export interface SigningKey {
  privateKey: KeyObject;
  /** SPKI PEM, as agents pin it and the install script verifies with it. */
  publicKeyPem: string;
}

export const SIGNING_KEY_FILE = "agent-signing-key.pem";

function fromPem(pem: string, where: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (err) {
    throw new EnvError(`${where} is not a PKCS#8 PEM private key: ${(err as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== "ed25519") throw new EnvError(`${where} must be an ed25519 key, not ${privateKey.asymmetricKeyType}`);
  return { privateKey, publicKeyPem: createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString() };
}

export function resolveSigningKey(opts: { setting: string | undefined; dataDir: string }): SigningKey {
  if (opts.setting) return fromPem(opts.setting.replace(/\\n/g, "\n"), "IW_AGENT_SIGNING_KEY");
  const file = path.join(opts.dataDir, SIGNING_KEY_FILE);
  try {
    return fromPem(fs.readFileSync(file, "utf8"), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  try {
    fs.writeFileSync(file, pem, { mode: 0o600, flag: "wx" });
  } catch (err) {
    // Another process wrote it first: use theirs.
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return fromPem(fs.readFileSync(file, "utf8"), file);
}

const cache = new Map<string, SigningKey>();

/** The key of these settings, resolved once per process (the file is read or written on first use). */
export function signingKeyFor(env: { agentSigningKey: string | undefined; dataDir: string }): SigningKey {
  const key = `${env.agentSigningKey ?? ""}\0${env.dataDir}`;
  let found = cache.get(key);
  if (!found) cache.set(key, (found = resolveSigningKey({ setting: env.agentSigningKey, dataDir: env.dataDir })));
  return found;
}

export const signStatement = (key: SigningKey, statement: string) => sign(null, Buffer.from(statement), key.privateKey).toString("base64");
