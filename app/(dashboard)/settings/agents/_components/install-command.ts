/**
 * The one-line installer shown once a token is created. The installer reads the token from a
 * file (see app/api/agent/install.sh): `echo` is a shell builtin, so the token never appears in a
 * command line that `ps` shows other users.
 */
export const installCommand = (origin: string, token: string) =>
  `F=$(mktemp) && echo '${token}' > "$F" && curl -fsSL ${origin}/api/agent/install.sh | sudo sh -s -- --token-file "$F"; rm -f "$F"`;

/** Why a token can no longer enroll: revoked before expiry, used up before expiry, or expired. */
export function tokenState(t: { active: boolean; revokedAt: string | null; uses: number; maxUses: number }): "active" | "revoked" | "used up" | "expired" {
  if (t.active) return "active";
  if (t.revokedAt) return "revoked";
  return t.uses >= t.maxUses ? "used up" : "expired";
}
