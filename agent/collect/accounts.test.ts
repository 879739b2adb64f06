import { describe, expect, it } from "vitest";
import { LocalGroupSchema, LocalUserSchema } from "../../lib/protocol";
import { parseGroup, parsePasswd } from "./accounts";
import { DISTROS, fixture } from "./fixtures/fixture";

describe("local users and groups", () => {
  it.each(DISTROS)("reads %s's /etc/passwd and /etc/group", (distro) => {
    const users = parsePasswd(fixture(distro, "etc/passwd"));
    const groups = parseGroup(fixture(distro, "etc/group"));
    expect(users[0]).toMatchObject({ name: "root", uid: 0, gid: 0, home: "/root" });
    expect(users.find((u) => u.name === "nobody")).toMatchObject({ uid: 65534 });
    expect(groups[0]).toMatchObject({ name: "root", gid: 0 });
    for (const u of users) expect(LocalUserSchema.safeParse(u).success).toBe(true);
    for (const g of groups) expect(LocalGroupSchema.safeParse(g).success).toBe(true);
  });

  it("reads members, shells and homes; never a password field", () => {
    expect(parsePasswd(fixture("rocky9", "etc/passwd")).find((u) => u.name === "rocky")).toEqual({ name: "rocky", uid: 1000, gid: 1000, shell: "/bin/bash", home: "/home/rocky" });
    expect(parseGroup(fixture("rocky9", "etc/group")).find((g) => g.name === "docker")).toEqual({ name: "docker", gid: 990, members: ["app", "rocky"] });
    expect(parseGroup(fixture("alpine319", "etc/group")).find((g) => g.name === "wheel")!.members).toEqual(["alpine", "root"]);
    const [u] = parsePasswd("old:$6$saltsalt$hash:1001:1001::/home/old:/bin/sh\n");
    expect(JSON.stringify(u)).not.toContain("$6$");
  });

  it("skips comments, NIS inclusions and malformed lines", () => {
    expect(parsePasswd("# c\n+::::::\n-bad\nx:x:notanumber:1::/:/bin/sh\nok:x:5:5::/:\n:x:1:1::/:\n")).toEqual([{ name: "ok", uid: 5, gid: 5, home: "/" }]);
    expect(parseGroup("g:x:7\nh:x:99999999999:\n")).toEqual([{ name: "g", gid: 7, members: [] }]);
  });
});
