import { describe, expect, it } from "vitest";
import { type AgentLoad, chooseAgent, requiredSkills, unavailableBecause } from "./assignment.ts";

const agent = (id: string, over: Partial<AgentLoad> = {}): AgentLoad => ({
  id,
  name: `Agent ${id}`,
  status: "available",
  capacity: 5,
  skills: [],
  openCases: 0,
  load: 0,
  inHours: true,
  ...over,
});
const none = { product: null, language: null };

describe("who may take a case", () => {
  it.each([
    [{}, null],
    [{ status: "away" as const }, "away"],
    [{ status: "offline" as const }, "offline"],
    [{ inHours: false }, "outside hours"],
    [{ openCases: 5 }, "at capacity"],
    [{ openCases: 7 }, "at capacity"],
    [{ capacity: 0 }, "at capacity"],
  ])("%j → %s", (over, why) => {
    expect(unavailableBecause(agent("a", over))).toBe(why);
  });
});

describe("round robin", () => {
  it("goes round in id order from the last one, skipping who cannot take it", () => {
    const agents = [agent("a"), agent("b", { status: "away" }), agent("c"), agent("d", { openCases: 5 })];
    const picks: string[] = [];
    let last: string | null = null;
    for (let i = 0; i < 4; i++) {
      const choice = chooseAgent("round_robin", agents, none, { lastUserId: last });
      picks.push(choice.agent?.id ?? "-");
      last = choice.agent?.id ?? last;
    }
    expect(picks).toEqual(["a", "c", "a", "c"]);
  });

  it("is fair over 1,000 cases: counts differ by at most one", () => {
    const agents = ["a", "b", "c", "d", "e", "f", "g"].map((id) => agent(id, { capacity: 1000 }));
    const counts = new Map<string, number>();
    let last: string | null = null;
    for (let i = 0; i < 1000; i++) {
      const choice = chooseAgent("round_robin", agents, none, { lastUserId: last });
      const a = choice.agent!;
      a.openCases += 1;
      counts.set(a.id, (counts.get(a.id) ?? 0) + 1);
      last = a.id;
    }
    const n = [...counts.values()];
    expect(n.reduce((s, x) => s + x, 0)).toBe(1000);
    expect(Math.max(...n) - Math.min(...n)).toBeLessThanOrEqual(1);
  });

  it("a last agent who left the team does not break the turn", () => {
    const choice = chooseAgent("round_robin", [agent("b"), agent("d")], none, { lastUserId: "c" });
    expect(choice.agent?.id).toBe("d");
  });
});

describe("least loaded", () => {
  it("weighs load against capacity, then open cases, then id", () => {
    const agents = [
      agent("a", { capacity: 10, load: 6, openCases: 3 }), // 0.6
      agent("b", { capacity: 4, load: 2, openCases: 1 }), // 0.5
      agent("c", { capacity: 2, load: 1, openCases: 1 }), // 0.5, same ratio as b, same open cases
    ];
    const choice = chooseAgent("least_loaded", agents, none);
    expect(choice.agent?.id).toBe("b");
    expect(choice.explanation).toBe("assigned to Agent b (least loaded; 1 of 4 open)");
  });

  it("never above capacity; nobody → waits, and says why", () => {
    const agents = [
      agent("a", { openCases: 5 }),
      agent("b", { status: "away" }),
      agent("c", { status: "away" }),
      agent("d", { inHours: false }),
    ];
    const choice = chooseAgent("least_loaded", agents, none);
    expect(choice.agent).toBeNull();
    expect(choice.explanation).toBe("waiting for an agent: 1 at capacity, 2 away, 1 outside hours");
  });

  it("an excluded agent (handing back) is not chosen", () => {
    const choice = chooseAgent("least_loaded", [agent("a"), agent("b", { load: 4, openCases: 2 })], none, {
      exclude: new Set(["a"]),
    });
    expect(choice.agent?.id).toBe("b");
  });

  it("manual assigns nobody", () => {
    expect(chooseAgent("manual", [agent("a")], none)).toEqual({
      agent: null,
      explanation: "the queue is assigned by hand",
    });
  });
});

describe("skills", () => {
  const pool = [
    agent("a", { skills: ["Billing Portal"], load: 0 }),
    agent("b", { skills: ["billing portal", "lang:de"], load: 4, openCases: 2 }),
    agent("c", { skills: ["Dashboards", "lang:de"], load: 0 }),
  ];

  it("needs every skill someone in the team has", () => {
    const choice = chooseAgent("skills", pool, { product: "Billing Portal", language: "de" });
    expect(choice.agent?.id).toBe("b");
    expect(choice.explanation).toBe(
      "assigned to Agent b (skills-based: skills billing portal, lang:de; 2 of 5 open)",
    );
  });

  it("least loaded among those with the skills", () => {
    expect(chooseAgent("skills", pool, { product: "Billing Portal", language: null }).agent?.id).toBe("a");
  });

  it("drops a skill nobody in the team has", () => {
    expect(requiredSkills({ product: "Mobile App", language: "de" }, pool)).toEqual({
      required: ["lang:de"],
      dropped: ["mobile app"],
    });
    const choice = chooseAgent("skills", pool, { product: "Mobile App", language: "fr" });
    expect(choice.agent?.id).toBe("a");
    expect(choice.explanation).toContain("nobody in the team has mobile app, lang:fr");
  });

  it("waits for a skilled agent rather than giving it to an unskilled one", () => {
    const busy = pool.map((a) => (a.id === "b" ? { ...a, status: "away" as const } : a));
    const choice = chooseAgent("skills", busy, { product: "Billing Portal", language: "de" });
    expect(choice.agent).toBeNull();
    expect(choice.explanation).toBe("waiting for an agent with billing portal, lang:de: 1 away");
  });
});
