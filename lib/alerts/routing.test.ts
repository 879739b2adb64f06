import { describe, expect, it } from "vitest";
import { chooseChannels, compileRoutes, type ChannelFilter, type RouteDefinition } from "./routing";

const channels: ChannelFilter[] = [
  { id: "slack", enabled: true, minSeverity: "info" },
  { id: "pager", enabled: true, minSeverity: "critical" },
  { id: "mail", enabled: true, minSeverity: "warning" },
  { id: "off", enabled: false, minSeverity: "info" },
];
const route = (over: Partial<RouteDefinition>): RouteDefinition => ({ id: "r", selector: null, severities: [], channelIds: [], position: 0, ...over });
const routes = compileRoutes([
  route({ id: "db-critical", selector: "team=db", severities: ["critical"], channelIds: ["pager"], position: 1 }),
  route({ id: "db-any", selector: "team=db", channelIds: ["mail", "slack"], position: 2 }),
  route({ id: "broken", selector: "team in (", channelIds: ["off"], position: 0 }),
]);
const db = { labels: { team: "db", env: "prod" } };
const web = { labels: { team: "web" } };

describe("chooseChannels", () => {
  it("team=db, severity=critical goes to exactly the pager", () => {
    expect(chooseChannels({ severity: "critical" }, db, routes, channels)).toEqual({ via: "route", routeId: "db-critical", channelIds: ["pager"] });
  });

  it("the first matching route wins: a db warning goes to the second route, within each channel's minSeverity", () => {
    expect(chooseChannels({ severity: "warning" }, db, routes, channels)).toEqual({ via: "route", routeId: "db-any", channelIds: ["mail", "slack"] });
    expect(chooseChannels({ severity: "info" }, db, routes, channels)).toEqual({ via: "route", routeId: "db-any", channelIds: ["slack"] });
  });

  it("no route matches: every enabled channel that wants the severity (the default)", () => {
    expect(chooseChannels({ severity: "critical" }, web, routes, channels)).toEqual({ via: "default", channelIds: ["slack", "pager", "mail"] });
    expect(chooseChannels({ severity: "info" }, { labels: null }, routes, channels)).toEqual({ via: "default", channelIds: ["slack"] });
  });

  it("a rule's own channels win over routes; disabled or unknown ones are dropped", () => {
    expect(chooseChannels({ severity: "critical", channelIds: ["MAIL", "off", "gone"] }, db, routes, channels)).toEqual({ via: "rule", channelIds: ["mail"] });
  });

  it("an empty channel list means: routes, then default", () => {
    expect(chooseChannels({ severity: "critical", channelIds: [] }, db, routes, channels).via).toBe("route");
  });

  it("a route that names only a disabled channel sends nowhere rather than falling through", () => {
    const only = compileRoutes([route({ id: "quiet", selector: "env=prod", channelIds: ["off"] })]);
    expect(chooseChannels({ severity: "critical" }, db, only, channels)).toEqual({ via: "route", routeId: "quiet", channelIds: [] });
  });

  it("routes are tried by position, then age; a stored selector that no longer parses matches nothing", () => {
    expect(routes.map((r) => r.id)).toEqual(["db-critical", "db-any"]);
    const aged = compileRoutes([
      route({ id: "young", createdAt: new Date(2000), channelIds: ["mail"] }),
      route({ id: "old", createdAt: new Date(1000), channelIds: ["slack"] }),
    ]);
    expect(chooseChannels({ severity: "warning" }, web, aged, channels).channelIds).toEqual(["slack"]);
  });
});
