/** The parser on real public post-mortems, read from ../shared/corpus when it is there. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Postmortem } from "../src/postmortem/model.js";
import { parsePostmortem } from "../src/postmortem/parse.js";

const SHARED = join(import.meta.dirname, "..", "..", "shared");
const CORPUS = join(SHARED, "corpus");
const present = existsSync(CORPUS);

function parseCorpus(file: string, fallbackDate = "2026-11-22"): Postmortem {
  // Read lazily: describe blocks are collected even when the corpus is absent and they are skipped.
  const path = join(CORPUS, file);
  return parsePostmortem(existsSync(path) ? readFileSync(path, "utf8") : "", {
    path: file,
    fallbackDate,
  });
}

const userActions = (pm: Postmortem) => pm.actions.filter((a) => !a.generated);
const rules = (pm: Postmortem) => pm.findings.map((f) => f.rule);

const SEED = join(SHARED, "seeds", "000_5fcd2de33c5c828b.txt");

describe.runIf(existsSync(SEED))("the reference outline", () => {
  const people = { "Susan J": "susanj", "Adam K": "adamk", "Tony L": ["tonyl"] };
  const pm = parsePostmortem(existsSync(SEED) ? readFileSync(SEED, "utf8") : "", {
    path: "docs/postmortems/000_5fcd2de33c5c828b.md",
    fallbackDate: "2026-03-01",
    people,
  });

  it("reads the three follow-up actions with owners and dates resolved after the incident", () => {
    expect(pm.title).toBe("Post-Mortem Analysis");
    expect(pm.date).toBe("2026-03-01");
    expect(pm.dateSource).toBe("fallback");
    expect(
      pm.actions.map((a) => [
        a.text,
        a.owners,
        a.assignees,
        a.due,
        a.dueRaw,
        a.category,
        a.generated,
      ]),
    ).toEqual([
      [
        "Add step to involve comms early in emergency",
        ["Susan J"],
        ["susanj"],
        "2026-03-15",
        "March 15",
        null,
        false,
      ],
      [
        "Implement tool for faster smart contract upgrade",
        ["Adam K"],
        ["adamk"],
        "2026-04-15",
        "April 15",
        null,
        false,
      ],
      [
        "Establish plan to audit incremental changes",
        ["Tony L"],
        ["tonyl"],
        "2026-03-22",
        "March 22",
        null,
        false,
      ],
    ]);
    expect(pm.actions.map((a) => a.line)).toEqual([84, 85, 86]);
  });

  it("reads the root cause, the could-be-better items and the timeline with its zone", () => {
    expect(pm.rootCauseState).toBe("present");
    expect(pm.rootCause).toMatch(
      /^due to a rapid price drop a user account became under-collateralized/,
    );
    expect(pm.couldBeBetter.map((c) => c.text)).toEqual([
      "Response to users and on social media",
      "Upgrade deployment tooling",
      "Audit all smart contract modifications",
    ]);
    expect(pm.timeline?.line).toBe(34);
    expect(rules(pm)).not.toContain("timeline-no-timezone");
    expect(pm.findings.filter((f) => f.level !== "notice")).toEqual([]);
  });

  it("resolves the same targets into the next year when the incident is later in the year", () => {
    const later = parsePostmortem(readFileSync(SEED, "utf8"), {
      fallbackDate: "2026-11-22",
    });
    expect(later.actions.map((a) => a.due)).toEqual(["2027-03-15", "2027-04-15", "2027-03-22"]);
    expect(rules(later).filter((r) => r === "owner-not-mapped")).toHaveLength(3);
  });
});

describe.runIf(present)("etcd v3.5 data inconsistency", () => {
  const pm = parseCorpus("etcd-io--etcd--v3.5-data-inconsistency.md");
  const actions = userActions(pm);

  it("reads the ten table rows and not the explanatory lists above them", () => {
    expect(actions).toHaveLength(10);
    expect(actions[0]?.text).toBe(
      "etcd testing can reproduce historical data inconsistency issues",
    );
    expect(actions[4]?.text).toBe(
      "Critical etcd features are not abandoned when contributors move on",
    );
    expect(actions[9]?.text).toBe(
      "etcd can imminently detect and recover from data corruption (implement Merkle root)",
    );
  });

  it("keeps type and priority, links and DONE", () => {
    expect(actions.map((a) => a.type)).toEqual([
      "Prevent",
      "Detect",
      "Prevent",
      "Prevent",
      "Prevent",
      "Prevent",
      "Detect",
      "Detect",
      "Mitigate",
      "Mitigate",
    ]);
    expect(actions.map((a) => a.priority)).toEqual([
      "P0",
      "P0",
      "P1",
      "P1",
      "P1",
      "P1",
      "P1",
      "P1",
      "P1",
      "P2",
    ]);
    expect(actions.filter((a) => a.link !== null)).toHaveLength(7);
    expect(actions[5]?.link).toBe("https://github.com/etcd-io/etcd/pull/14911");
    expect(actions.filter((a) => a.done)).toHaveLength(5);
  });

  it("takes the date from the metadata table and the authors too", () => {
    expect(pm.date).toBe("2022-04-20");
    expect(pm.authors).toEqual(["serathius@"]);
    expect(pm.rootCauseState).toBe("present");
    expect(pm.summary).toMatch(/^Summary: Code refactor in v3\.5\.0/);
  });

  it("reports open actions without an owner, one finding each", () => {
    const noOwner = pm.findings.filter((f) => f.rule === "action-no-owner");
    expect(noOwner).toHaveLength(5);
    expect(noOwner.map((f) => f.line)).toEqual(actions.filter((a) => !a.done).map((a) => a.line));
  });
});

describe.runIf(present)("2i2c LEAP outage", () => {
  const pm = parseCorpus("2i2c-org--incident-reports--2025-08-12-leap-outage.md");
  const actions = userActions(pm);

  it("reads five task-list items, two checked", () => {
    expect(actions).toHaveLength(5);
    expect(actions.map((a) => a.done)).toEqual([false, false, false, true, true]);
    expect(actions[2]?.link).toBe("https://github.com/2i2c-org/jupyterhub-home-nfs/pull/34");
    expect(actions[3]?.link).toBe("https://github.com/2i2c-org/infrastructure/pull/6555");
  });

  it("takes the incident date from the title and knows the timeline's zone", () => {
    expect(pm.date).toBe("2025-08-12");
    expect(pm.dateSource).toBe("title");
    expect(rules(pm)).not.toContain("timeline-no-timezone");
  });
});

describe.runIf(present)("mybinder simultaneous launches", () => {
  const pm = parseCorpus(
    "jupyterhub--mybinder.org-deploy--2020-07-09-simultaneous-launches-scipy.md",
  );
  const actions = userActions(pm);

  it("reads numbered items under three sub-headings as categories", () => {
    expect(actions).toHaveLength(10);
    expect(actions.map((a) => a.category)).toEqual([
      ...Array(3).fill("Process improvements"),
      ...Array(2).fill("Documentation improvements"),
      ...Array(5).fill("Code and Configuration changes"),
    ]);
  });

  it("keeps links, nested paragraphs and images inside their item, and reads _done in grafana_", () => {
    expect(actions[0]?.link).toBe("https://github.com/jupyterhub/mybinder.org-deploy/issues/1533");
    expect(actions[5]?.link).toBe("https://github.com/jupyterhub/mybinder.org-deploy/pull/1492");
    const timeout = actions[6];
    expect(timeout?.text).toMatch(/^decrease launch timeout to 5 minutes/);
    expect(timeout?.details).toContain("![launch-time-chart](https://i.imgur.com/dO1FIfw.png)");
    expect(timeout?.link).toBe("https://github.com/jupyterhub/mybinder.org-deploy/issues/1528");
    expect(actions.filter((a) => a.done).map((a) => a.text)).toEqual([
      expect.stringMatching(/^Use in-progress metrics/),
    ]);
    expect(actions[8]?.text).not.toContain("done in grafana");
  });

  it("does not take the trailing paragraph for an action, and says so", () => {
    expect(actions.some((a) => a.text.startsWith("Add these to the documentation"))).toBe(false);
    expect(pm.findings.some((f) => f.rule === "text-not-read")).toBe(true);
  });
});

describe.runIf(present)("dfds PM2023-001", () => {
  const pm = parseCorpus("dfds--postmortems--PM2023-001_-_Total_node_failure.md");
  const actions = userActions(pm);

  it("reads six bullets, one done, and not the lessons learned after them", () => {
    expect(actions).toHaveLength(6);
    expect(actions.map((a) => a.done)).toEqual([false, false, false, false, false, true]);
    expect(actions[5]?.text).toBe("Implement guards against invalid container runtime selection");
    expect(actions.some((a) => a.text.includes("remain calm"))).toBe(false);
  });

  it("reports each open action without an owner as a warning, not an error", () => {
    const noOwner = pm.findings.filter((f) => f.rule === "action-no-owner");
    expect(noOwner).toHaveLength(5);
    expect(noOwner.every((f) => f.level === "warning")).toBe(true);
    expect(pm.findings.filter((f) => f.level === "error")).toEqual([]);
  });
});

describe.runIf(present)("flutter 3.32.3", () => {
  const pm = parseCorpus("flutter--flutter--Postmortem-Flutter-3.32.3-Release.md");

  it("reads three actions, all done, and the author", () => {
    expect(userActions(pm).map((a) => a.done)).toEqual([true, true, true]);
    expect(userActions(pm)[0]?.text).toBe(
      "Update the release tooling to be able to specify a commit SHA",
    );
    expect(pm.authors).toEqual(["@matanlurey"]);
    expect(pm.authorLogins).toEqual(["matanlurey"]);
    expect(pm.status).toBe("Final");
  });
});

describe.runIf(present)("persistenceOne V3 upgrade halt", () => {
  const pm = parseCorpus("persistenceOne--incident-reports--07-Sept-2022_V3_upgrade_halt.md");
  const actions = userActions(pm);

  it("reads seven actions from a table under no action heading, status from the Bug column", () => {
    expect(actions).toHaveLength(7);
    expect(actions.every((a) => a.owners.join() === "Core-1 team")).toBe(true);
    expect(actions.map((a) => a.done)).toEqual([true, true, true, true, false, true, false]);
    expect(actions.map((a) => a.link)).toEqual(Array(7).fill(null));
    expect(actions.map((a) => a.type)).toEqual([
      "process",
      "prevention",
      "prevention",
      "prevention",
      "mitigation",
      "mitigation",
      "mitigation",
    ]);
  });

  it("reads the bold key lines: date, authors, root cause", () => {
    expect(pm.date).toBe("2022-09-07");
    expect(pm.authors).toEqual(["Anmol", "Puneet"]);
    expect(pm.rootCause).toMatch(/^upgrade-info\.json was expected/);
    const unmapped = pm.findings.filter((f) => f.rule === "owner-not-mapped");
    expect(unmapped.map((f) => f.line)).toEqual([22]);
    expect(unmapped[0]?.message).toMatch(/"Core-1 team"/);
  });
});

describe.runIf(present)("persistenceOne v9.1.1 chain halt (CRLF)", () => {
  const pm = parseCorpus("persistenceOne--incident-reports--20-Sept-2023_v9.1.1_chain_halt.md");
  const actions = userActions(pm);

  it("reads the compact table with person owners, PR links from the Type column, and Done", () => {
    expect(actions).toHaveLength(4);
    expect(actions.map((a) => a.owners)).toEqual([["Maksim"], ["Puneet"], ["Puneet"], ["Maksim"]]);
    expect(actions.every((a) => a.done)).toBe(true);
    expect(actions[0]?.link).toBe("https://github.com/persistenceOne/cosmos-sdk/pull/8");
    expect(actions[2]?.link).toBeNull();
    expect(actions[0]?.line).toBe(30);
    expect(pm.date).toBe("2023-09-20");
  });
});

describe.runIf(present)("PostHog replay SDK", () => {
  const pm = parseCorpus("PostHog--post-mortems--2026-01-17-replay-sdk-fetch-wrapper-incident.md");
  const actions = userActions(pm);

  it("reads ✅ as done and keeps nested PR links with their item", () => {
    expect(actions).toHaveLength(7);
    expect(actions[0]?.done).toBe(true);
    expect(actions[0]?.text).toMatch(/^Adding comprehensive integration tests/);
    expect(actions[0]?.link).toBe("https://github.com/PostHog/posthog-js/pull/2935");
    expect(actions.slice(1).every((a) => !a.done)).toBe(true);
    expect(pm.severity).toBe("Critical");
    expect(pm.date).toBe("2026-01-14");
  });
});

describe.runIf(present)("crates.io (TOML front matter, bold priorities)", () => {
  const pm = parseCorpus("rust-lang--blog.rust-lang.org--crates-io-postmortem.md");

  it("reads the front matter and the priority tags", () => {
    expect(pm.title).toBe("crates.io Postmortem: Broken Crate Downloads");
    expect(pm.authors).toEqual(["Tobias Bieniek"]);
    expect(userActions(pm).map((a) => [a.priority, a.text])).toEqual([
      ["HIGH", "Include crate downloads in the smoke test plan for the staging environment"],
      ["MEDIUM", "Automate the staging environment smoke tests"],
      ["MEDIUM", "Develop rules on which pull requests require explicit code review"],
    ]);
    expect(pm.rootCauseState).toBe("present");
    expect(pm.date).toBe("2023-07-20");
    expect(pm.dateSource).toBe("document");
  });
});

describe.runIf(present)("Homebrew security incident (past tense)", () => {
  const pm = parseCorpus("Homebrew--brew.sh--2021-04-21-security-incident-disclosure.md");
  const actions = userActions(pm);

  it("reads done from the past tense and keeps the wrapped line in its item", () => {
    expect(actions).toHaveLength(5);
    expect(actions.map((a) => a.done)).toEqual([true, true, true, false, false]);
    expect(actions[4]?.text).toMatch(/and training existing `homebrew\/core` maintainers/);
    expect(pm.findings.filter((f) => f.rule === "done-by-past-tense")).toHaveLength(3);
    expect(pm.title).toBe("Security Incident Disclosure");
    expect(pm.authors).toEqual(["reitermarkus"]);
  });
});

describe.runIf(present)("COG-UK blank biosample (task items with commit links)", () => {
  const pm = parseCorpus("COG-UK--dipi-group--20210305_blankbiosample.md");
  const actions = userActions(pm);

  it("reads six task items, four checked; commit links are not issue links", () => {
    expect(actions).toHaveLength(6);
    expect(actions.map((a) => a.done)).toEqual([true, true, true, true, false, false]);
    expect(actions.map((a) => a.link)).toEqual(Array(6).fill(null));
    expect(pm.date).toBe("2021-03-05");
    expect(pm.title).toMatch(/20210305 blankbiosample$/);
    expect(pm.rootCause).toMatch(/^We are not resourced appropriately/);
  });
});

describe.runIf(present)("every corpus document", () => {
  it("parses with a title, actions, and a line for every action and finding", async () => {
    const { readdirSync } = await import("node:fs");
    for (const file of readdirSync(CORPUS).filter((f) => f.endsWith(".md") && f !== "SOURCES.md")) {
      const pm = parseCorpus(file);
      expect(pm.title, file).not.toBe("");
      expect(userActions(pm).length, file).toBeGreaterThan(0);
      for (const action of pm.actions) expect(action.line, file).toBeGreaterThan(0);
      expect(rules(pm), file).not.toContain("no-action-section");
    }
  });
});
