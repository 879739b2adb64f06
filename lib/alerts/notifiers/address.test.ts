import { describe, expect, it } from "vitest";
import { literalAddressIssue, vetAddress, type Lookup } from "./address";
import { parseCidrList } from "@/lib/net/cidr";

const answers = (...list: string[]): Lookup => async () => list.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

describe("vetAddress", () => {
  it("takes the first answer the policy lets through, so a name with one bad answer cannot steer the connection", async () => {
    expect(await vetAddress("hooks.example.com", [], answers("127.0.0.1", "93.184.216.34"))).toEqual({ address: "93.184.216.34", family: 4 });
    expect(await vetAddress("hooks.example.com", [], answers("2606:4700::1111"))).toEqual({ address: "2606:4700::1111", family: 6 });
  });

  it("refuses when every answer is blocked, permanently, naming the range", async () => {
    await expect(vetAddress("rebind.example", [], answers("10.0.0.5", "::1"))).rejects.toMatchObject({ retryable: false, message: "address not allowed (private)" });
    await expect(vetAddress("[::ffff:169.254.169.254]", [], answers())).rejects.toMatchObject({ message: "address not allowed (link-local)" });
    await expect(vetAddress("nothing.example", [], answers())).rejects.toMatchObject({ message: "address not allowed (no address)" });
  });

  it("lets the allow-list through and treats a failed lookup as transient", async () => {
    expect(await vetAddress("127.0.0.1", parseCidrList("127.0.0.0/8").cidrs)).toEqual({ address: "127.0.0.1", family: 4 });
    await expect(
      vetAddress("down.example", [], async () => {
        throw Object.assign(new Error("getaddrinfo EAI_AGAIN"), { code: "EAI_AGAIN" });
      }),
    ).rejects.toMatchObject({ retryable: true, message: "dns lookup failed" });
  });
});

describe("literalAddressIssue", () => {
  it("flags a refused literal address at save, and leaves names to send time", () => {
    expect(literalAddressIssue({ kind: "webhook", url: "http://169.254.169.254/latest/meta-data" }, [])).toEqual({ path: "url", message: "address not allowed (link-local); IW_NOTIFY_ALLOW_CIDRS can allow it" });
    expect(literalAddressIssue({ kind: "slack", url: "http://[::1]:8080/x" }, [])).toMatchObject({ path: "url" });
    expect(literalAddressIssue({ kind: "email", host: "10.1.2.3" }, [])).toMatchObject({ path: "host" });
    expect(literalAddressIssue({ kind: "email", host: "10.1.2.3" }, parseCidrList("10.0.0.0/8").cidrs)).toBeNull();
    expect(literalAddressIssue({ kind: "webhook", url: "http://localhost:9000/x" }, [])).toBeNull();
    expect(literalAddressIssue({ kind: "webhook", url: "https://hooks.example.com/x" }, [])).toBeNull();
  });
});
