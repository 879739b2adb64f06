import { describe, expect, it } from "vitest";
import { installCommand, tokenState } from "./install-command";

describe("installCommand", () => {
  const cmd = installCommand("https://watch.example.test", "iwe_abc123");
  it("passes the token in a file, never as an argument of curl or sh", () => {
    expect(cmd).toContain(`echo 'iwe_abc123' > "$F"`);
    expect(cmd).toContain(`--token-file "$F"`);
    expect(cmd.split("|")[1]).not.toContain("iwe_abc123");
    expect(cmd).not.toMatch(/curl[^|]*iwe_abc123/);
  });
  it("fetches the installer from this server and removes the token file afterwards", () => {
    expect(cmd).toContain("curl -fsSL https://watch.example.test/api/agent/install.sh | sudo sh -s --");
    expect(cmd.endsWith(`rm -f "$F"`)).toBe(true);
  });
});

describe("tokenState", () => {
  const t = { active: false, revokedAt: null, uses: 0, maxUses: 1 };
  it("says why a token is spent", () => {
    expect(tokenState({ ...t, active: true })).toBe("active");
    expect(tokenState({ ...t, revokedAt: "2026-01-01T00:00:00Z", uses: 1 })).toBe("revoked");
    expect(tokenState({ ...t, uses: 1 })).toBe("used up");
    expect(tokenState(t)).toBe("expired");
  });
});
