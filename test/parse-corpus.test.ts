/**
 * The parser on real public post-mortems, read from ../shared/corpus when it is there. With
 * FOLLOW_THROUGH_REQUIRE_CORPUS=1 (CI) a missing corpus fails instead of skipping.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Postmortem } from "../src/core/postmortem/model.js";
import { parsePostmortem } from "../src/core/postmortem/parse.js";

const SHARED = join(import.meta.dirname, "..", "..", "shared");
const CORPUS = join(SHARED, "corpus");
const present = existsSync(CORPUS);
const SEED = join(SHARED, "seeds", "000_5fcd2de33c5c828b.txt");

describe.runIf(process.env.FOLLOW_THROUGH_REQUIRE_CORPUS === "1")("the shared corpus", () => {
  it("is present, as FOLLOW_THROUGH_REQUIRE_CORPUS=1 demands", () => {
    expect(existsSync(CORPUS), `${CORPUS} is missing`).toBe(true);
    expect(existsSync(SEED), `${SEED} is missing`).toBe(true);
  });
});

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
/** Each action as [line, done, link]: where it is, whether it is done, what already tracks it. */
const lineDoneLink = (pm: Postmortem) => userActions(pm).map((a) => [a.line, a.done, a.link]);
const linesOf = (pm: Postmortem, rule: string) =>
  pm.findings.filter((f) => f.rule === rule).map((f) => f.line);

describe.runIf(existsSync(SEED))("the reference outline", () => {
  const people = { "Susan J": "susanj", "Adam K": "adamk", "Tony L": ["tonyl"] };
  const pm = parsePostmortem(existsSync(SEED) ? readFileSync(SEED, "utf8") : "", {
    path: "docs/postmortems/000_5fcd2de33c5c828b.md",
    fallbackDate: "2026-03-01",
    people,
  });

  it("reads the three follow-up actions with owners and dates resolved after the incident", () => {
    expect(pm.title).toBe("Post-Mortem Analysis");
    // No date anywhere (the timeline gives times only): the commit date is assumed, and said so.
    expect(pm.date).toBe("2026-03-01");
    expect(pm.dateSource).toBe("fallback");
    expect(pm.findings.filter((f) => f.rule === "incident-date-assumed")).toEqual([
      {
        level: "notice",
        rule: "incident-date-assumed",
        message:
          "no incident date in the document, so 2026-03-01 (the commit date) is assumed for dates without a year and relative dates: add `date: YYYY-MM-DD` to the front matter",
        line: null,
      },
    ]);
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
    // The labelled example paragraph, not the template's guidance for authors after it.
    expect(pm.rootCause).toBe(
      "due to a rapid price drop a user account became under-collateralized, an attempt to liquidate the account failed due to an error in the smart contract which in turn caused all liquidation calls to fail. The code involved was not audited.",
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
    expect(linesOf(later, "owner-not-mapped")).toEqual([84, 85, 86]);
    expect(linesOf(later, "incident-date-assumed")).toEqual([null]);
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
    const issue = (n: number) => `https://github.com/etcd-io/etcd/issues/${n}`;
    expect(lineDoneLink(pm)).toEqual([
      [120, true, issue(14045)],
      [121, true, issue(14039)],
      [122, false, issue(13637)],
      [123, false, null],
      [124, true, issue(13775)],
      [125, true, "https://github.com/etcd-io/etcd/pull/14911"],
      [126, false, null],
      [127, true, issue(13973)],
      [128, false, null],
      [129, false, issue(13839)],
    ]);
    expect(actions.map((a) => a.owners)).toEqual(Array(10).fill([]));
  });

  it("takes the date from the metadata table and the authors too", () => {
    expect(pm.date).toBe("2022-04-20");
    expect(pm.authors).toEqual(["serathius@"]);
    expect(pm.rootCauseState).toBe("present");
    // The numbered steps of the scenario stay apart.
    expect(pm.rootCause).toContain(
      "it just sets a new consistent index value. The periodic commit is triggered,",
    );
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
    expect(lineDoneLink(pm)).toEqual([
      [88, false, null],
      [89, false, null],
      [90, false, "https://github.com/2i2c-org/jupyterhub-home-nfs/pull/34"],
      [91, true, "https://github.com/2i2c-org/infrastructure/pull/6555"],
      [92, true, null],
    ]);
    expect(actions.map((a) => a.owners)).toEqual(Array(5).fill([]));
    expect(actions[1]?.text).toBe(
      'Write a small document for incident response [20m] e.g. "I deleted prod, what next?"',
    );
  });

  it("reads the root cause the summary states, in its own sentence", () => {
    expect(pm.rootCauseState).toBe("present");
    expect(pm.rootCause).toBe(
      "The root cause for this incident is a bug in our NFS deployment process. Working around this bug led to this incident.",
    );
    expect(rules(pm)).not.toContain("root-cause-missing");
    expect(pm.actions.some((a) => a.generated)).toBe(false);
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
    expect(actions).toHaveLength(11);
    expect(actions.map((a) => a.category)).toEqual([
      ...Array(3).fill("Process improvements"),
      ...Array(3).fill("Documentation improvements"),
      ...Array(5).fill("Code and Configuration changes"),
    ]);
  });

  it("keeps links, nested paragraphs and images inside their item, and reads _done in grafana_", () => {
    const repo = "https://github.com/jupyterhub/mybinder.org-deploy";
    expect(lineDoneLink(pm)).toEqual([
      [97, false, `${repo}/issues/1533`],
      [100, false, `${repo}/issues/1526`],
      [102, false, `${repo}/issues/1525`],
      [109, false, null],
      [111, false, null],
      [113, false, "https://github.com/jupyterhub/binder/issues/200"],
      [118, false, `${repo}/pull/1492`],
      [121, false, `${repo}/issues/1528`],
      [134, false, `${repo}/issues/1529`],
      [138, true, null],
      [143, false, null],
    ]);
    expect(actions.map((a) => a.owners)).toEqual(Array(11).fill([]));
    expect(pm.rootCause).toBeNull();
    expect(pm.rootCauseState).toBe("missing");
    const timeout = actions[7];
    expect(timeout?.text).toMatch(/^decrease launch timeout to 5 minutes/);
    expect(timeout?.details).toContain("![launch-time-chart](https://i.imgur.com/dO1FIfw.png)");
    expect(timeout?.link).toBe("https://github.com/jupyterhub/mybinder.org-deploy/issues/1528");
    expect(actions.filter((a) => a.done).map((a) => a.text)).toEqual([
      expect.stringMatching(/^Use in-progress metrics/),
    ]);
    expect(actions[9]?.text).not.toContain("done in grafana");
  });

  it("takes the imperative paragraph after a list for an action, and says it was read from prose", () => {
    const paragraph = actions.find((a) => a.text.startsWith("Add these to the documentation"));
    expect(paragraph?.line).toBe(113);
    expect(paragraph?.category).toBe("Documentation improvements");
    expect(pm.findings.filter((f) => f.rule === "text-not-read")).toEqual([]);
    expect(pm.findings.filter((f) => f.rule === "action-inferred").map((f) => f.line)).toEqual([
      113,
    ]);
  });
});

describe.runIf(present)("dfds PM2023-001", () => {
  const pm = parseCorpus("dfds--postmortems--PM2023-001_-_Total_node_failure.md");
  const actions = userActions(pm);

  it("reads six bullets, one done, and not the lessons learned after them", () => {
    expect(actions).toHaveLength(6);
    expect(lineDoneLink(pm)).toEqual([
      [40, false, null],
      [41, false, null],
      [42, false, null],
      [43, false, null],
      [44, false, null],
      [45, true, null],
    ]);
    expect(actions.map((a) => a.owners)).toEqual(Array(6).fill([]));
    expect(actions[5]?.text).toBe("Implement guards against invalid container runtime selection");
    expect(actions.some((a) => a.text.includes("remain calm"))).toBe(false);
  });

  it("dates the incident from the timeline's first entry, not the commit", () => {
    expect(pm.date).toBe("2023-02-13");
    expect(pm.dateSource).toBe("timeline");
    expect(rules(pm)).not.toContain("incident-date-assumed");
  });

  it("reads the contributing factors as the root cause, one factor after another", () => {
    expect(pm.rootCauseState).toBe("present");
    expect(pm.rootCause).toBe(
      "QA config differs from prod, missing staging environment; QA test suite doesn't cover fluentd log collection; Rollover process has no documentation in place for what happens if it goes bad; During the attempt to revert the container-runtime, the value was thought to be dockershim, but was instead dockerd",
    );
  });

  it("reports each open action without an owner as a warning, not an error", () => {
    const noOwner = pm.findings.filter((f) => f.rule === "action-no-owner");
    expect(noOwner.map((f) => f.line)).toEqual([40, 41, 42, 43, 44]);
    expect(noOwner.every((f) => f.level === "warning")).toBe(true);
    expect(pm.findings.filter((f) => f.level === "error")).toEqual([]);
  });
});

describe.runIf(present)("flutter 3.32.3", () => {
  const pm = parseCorpus("flutter--flutter--Postmortem-Flutter-3.32.3-Release.md");

  it("reads three actions, all done, and the author", () => {
    expect(lineDoneLink(pm)).toEqual([
      [57, true, null],
      [58, true, null],
      [59, true, null],
    ]);
    expect(userActions(pm)[2]?.text).toBe(
      "Stop providing FLUTTER_PREBUILT_ENGINE_VERSION to release branches",
    );
    expect(userActions(pm)[0]?.text).toBe(
      "Update the release tooling to be able to specify a commit SHA",
    );
    expect(pm.authors).toEqual(["@matanlurey"]);
    expect(pm.authorLogins).toEqual(["matanlurey"]);
    expect(pm.status).toBe("Final");
  });

  it("dates the incident from the timeline's first bold date; no root cause section", () => {
    expect(pm.date).toBe("2025-06-04");
    expect(pm.dateSource).toBe("timeline");
    expect(pm.rootCause).toBeNull();
    expect(pm.rootCauseState).toBe("missing");
    expect(rules(pm)).toContain("root-cause-missing");
  });
});

describe.runIf(present)("persistenceOne V3 upgrade halt", () => {
  const pm = parseCorpus("persistenceOne--incident-reports--07-Sept-2022_V3_upgrade_halt.md");
  const actions = userActions(pm);

  it("reads seven actions from a table under no action heading, status from the Bug column", () => {
    expect(actions).toHaveLength(7);
    expect(actions.map((a) => a.owners)).toEqual(Array(7).fill(["Core-1 team"]));
    expect(actions.map((a) => [a.assignees, a.teams])).toEqual(Array(7).fill([[], []]));
    expect(lineDoneLink(pm)).toEqual([
      [18, true, null],
      [19, true, null],
      [20, true, null],
      [21, true, null],
      [22, false, null],
      [23, true, null],
      [24, false, null],
    ]);
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
    expect(pm.rootCause).toBe(
      "upgrade-info.json was expected but not present during the upgrade; also allowed nodes to start.",
    );
  });

  it("says at each open action that its owner is a team nobody can be assigned as", () => {
    const team = pm.findings.filter((f) => f.rule === "team-owner");
    expect(team.map((f) => [f.level, f.line])).toEqual([
      ["warning", 22],
      ["warning", 24],
    ]);
    expect(team[0]?.message).toMatch(/^owner "Core-1 team" is a team, .*people:/);
    expect(rules(pm)).not.toContain("owner-not-mapped");
    // Mapped under people:, the team's logins are the assignees and nothing is reported.
    const mapped = parsePostmortem(
      readFileSync(
        join(CORPUS, "persistenceOne--incident-reports--07-Sept-2022_V3_upgrade_halt.md"),
        "utf8",
      ),
      { people: { "core-1 team": ["anmol", "puneet"] }, fallbackDate: "2026-11-22" },
    );
    expect(mapped.actions[4]?.assignees).toEqual(["anmol", "puneet"]);
    expect(rules(mapped)).not.toContain("team-owner");
  });
});

describe.runIf(present)("persistenceOne v9.1.1 chain halt (CRLF)", () => {
  const pm = parseCorpus("persistenceOne--incident-reports--20-Sept-2023_v9.1.1_chain_halt.md");
  const actions = userActions(pm);

  it("reads the compact table with person owners, PR links from the Type column, and Done", () => {
    expect(actions).toHaveLength(4);
    expect(actions.map((a) => a.owners)).toEqual([["Maksim"], ["Puneet"], ["Puneet"], ["Maksim"]]);
    const core = "https://github.com/persistenceOne/persistenceCore/pull/242";
    expect(lineDoneLink(pm)).toEqual([
      [30, true, "https://github.com/persistenceOne/cosmos-sdk/pull/8"],
      [31, true, core],
      [32, true, null],
      [33, true, core],
    ]);
    expect(pm.date).toBe("2023-09-20");
  });
});

describe.runIf(present)("PostHog replay SDK", () => {
  const pm = parseCorpus("PostHog--post-mortems--2026-01-17-replay-sdk-fetch-wrapper-incident.md");
  const actions = userActions(pm);

  it("reads ✅ as done and keeps nested PR links with their item", () => {
    expect(actions).toHaveLength(7);
    expect(lineDoneLink(pm)).toEqual([
      [85, true, "https://github.com/PostHog/posthog-js/pull/2935"],
      [88, false, null],
      [89, false, null],
      [90, false, null],
      [91, false, null],
      [92, false, null],
      [93, false, null],
    ]);
    expect(actions.map((a) => a.owners)).toEqual(Array(7).fill([]));
    expect(actions[0]?.text).toMatch(/^Adding comprehensive integration tests/);
    expect(actions[0]?.details).toContain("https://github.com/PostHog/posthog-js/pull/2936");
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
    expect(lineDoneLink(pm)).toEqual([
      [178, false, null],
      [179, false, null],
      [180, false, null],
    ]);
    // The summary's date, not the timeline's first day (the lead-up, 2023-07-19).
    expect(pm.date).toBe("2023-07-20");
    expect(pm.dateSource).toBe("document");
  });

  it("reads the root causes as separate sentences", () => {
    expect(pm.rootCauseState).toBe("present");
    expect(pm.rootCause).toBe(
      "The failing code was structured in a way that made it hard to test different variants and code paths. There is no checklist describing which pull requests should be seen as high-impact. The smoke test procedure on the staging environment does not include crate downloads and is a manual process.",
    );
  });
});

describe.runIf(present)("Homebrew security incident (past tense)", () => {
  const pm = parseCorpus("Homebrew--brew.sh--2021-04-21-security-incident-disclosure.md");
  const actions = userActions(pm);

  it("reads done from the past tense and keeps the wrapped line in its item", () => {
    expect(actions).toHaveLength(5);
    expect(lineDoneLink(pm)).toEqual([
      [18, true, null],
      [19, true, null],
      [20, true, null],
      [21, false, null],
      [22, false, null],
    ]);
    expect(actions[4]?.text).toMatch(/and training existing `homebrew\/core` maintainers/);
    expect(pm.findings.filter((f) => f.rule === "done-by-past-tense")).toHaveLength(3);
    expect(pm.title).toBe("Security Incident Disclosure");
    expect(pm.authors).toEqual(["reitermarkus"]);
  });

  it("quotes code identifiers whole in findings", () => {
    const message = pm.findings.find((f) => f.rule === "action-no-owner" && f.line === 21)?.message;
    expect(message).toBe(
      'action "All homebrew/cask* pull requests will require a manual re…" has no owner',
    );
  });
});

describe.runIf(present)("COG-UK blank biosample (task items with commit links)", () => {
  const pm = parseCorpus("COG-UK--dipi-group--20210305_blankbiosample.md");
  const actions = userActions(pm);

  it("reads six task items, four checked; a commit link is kept only as the record of done work", () => {
    expect(actions).toHaveLength(6);
    expect(lineDoneLink(pm)).toEqual([
      [
        119,
        true,
        "https://github.com/SamStudio8/majora/commit/1fc9f7e309d9ac9f5d4895af882441969a7da471",
      ],
      [120, true, null],
      [
        121,
        true,
        "https://github.com/SamStudio8/ocarina/commit/801d2ff614e4800af3c125d28ae5bd8622514afb",
      ],
      [122, true, null],
      [123, false, null],
      [124, false, null],
    ]);
    expect(pm.date).toBe("2021-03-05");
    expect(pm.title).toMatch(/20210305 blankbiosample$/);
    expect(pm.rootCause).toMatch(/^We are not resourced appropriately/);
  });
});

describe.runIf(present)("every corpus document", () => {
  it("parses with a title, actions, and a line for every action and finding", async () => {
    const { readdirSync } = await import("node:fs");
    // SOURCES.md, CONVENTIONS.md: the corpus's own notes, not post-mortems.
    for (const file of readdirSync(CORPUS).filter((f) => /^(?![A-Z]+\.md$).*\.md$/.test(f))) {
      const pm = parseCorpus(file);
      expect(pm.title, file).not.toBe("");
      expect(userActions(pm).length, file).toBeGreaterThan(0);
      for (const action of pm.actions) expect(action.line, file).toBeGreaterThan(0);
      expect(rules(pm), file).not.toContain("no-action-section");
      // Every one of them says when it happened: none falls back to the commit date.
      expect(pm.dateSource, file).not.toBe("fallback");
      expect(rules(pm), file).not.toContain("incident-date-assumed");
      // Whatever was inferred (prose, a heading, a marker) is shown to the author at its line.
      for (const action of pm.actions.filter((a) => a.inferred)) {
        expect(linesOf(pm, "action-inferred"), `${file}: ${action.text}`).toContain(action.line);
      }
    }
  });

  it("infers the actions of documents written without lists, and says so", () => {
    const inferred = (file: string) =>
      userActions(parseCorpus(file)).map((a) => [a.inferred ?? null, a.done]);
    expect(inferred("Chia-Network--post-mortem--2021-10-31-EmployeeCompromise.md")).toEqual([
      ["prose", false],
      ["prose", false],
      ["prose", false],
    ]);
    expect(inferred("openSUSE--obs-landing--2018-03-23-post-mortem-6.md")).toEqual([
      ["heading", true],
      ["heading", false],
      ["heading", false],
      ["heading", false],
    ]);
    // "What has been done" is a done group, but items promising more work stay open.
    expect(inferred("SecretFoundation--docs--secpk-verifications-bloat.md")).toEqual([
      [null, true],
      [null, true],
      [null, true],
      [null, false],
      [null, false],
    ]);
  });
});
