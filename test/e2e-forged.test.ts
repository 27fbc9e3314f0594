/**
 * Forged state: people who can open issues, label them or edit the app's issues cannot make the
 * app adopt, rewrite or close an issue, nor steer it through a hidden marker. Only issues the app
 * opened are its own, and only markers it signed are read.
 */
import { describe, expect, it } from "vitest";
import { readActionMarker, readTrackingMarker } from "../src/core/plan/marker.js";
import { useFakeGitHub } from "./support/fake-github/index.js";
import {
  actionIssues,
  checklist,
  issueEvent,
  type Life,
  labelNames,
  logins,
  numberOf,
  PATH,
  person,
  postmortem,
  push,
  ROWS,
  START,
  startLife,
  writeTargets,
} from "./support/lifecycle.js";

const clock = { now: new Date(START) };
const github = useFakeGitHub(() => ({ now: () => clock.now }));
const OTHER = "docs/postmortems/2026-03-05-search.md";

/** The app's tracking issues: opened by its bot, with a marker. */
function appTrackings(life: Life) {
  return life.repo
    .issues()
    .filter(
      (i) =>
        (i.user as { login: string }).login === life.gh.botLogin &&
        readTrackingMarker(i.body as string),
    );
}

const bodyOf = (life: Life, n: number) => life.repo.issue(n)?.body as string;

describe("issues the app did not open", () => {
  it("never adopts a person's issue that carries the app's label and a copy of a genuine marker", async () => {
    const life = await startLife(github(), clock);
    await push(life, { [OTHER]: postmortem([ROWS.runbook], { title: "Search outage" }) });
    const genuine = appTrackings(life)[0];
    // A copy of the other post-mortem's tracking body, marker and all, pointed at PATH.
    const planted = life.repo.userCreateIssue(
      {
        title: "Post-mortem: Checkout outage",
        body: String(genuine?.body).replaceAll(OTHER, PATH),
        labels: ["post-mortem"],
      },
      { login: "mallory" },
    );
    const plantedBody = bodyOf(life, planted.number as number);

    await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.loadTest]) });
    // The merged post-mortem gets its own tracking issue and both action issues.
    const mine = appTrackings(life).filter(
      (i) => readTrackingMarker(i.body as string)?.path === PATH,
    );
    expect(mine).toHaveLength(1);
    expect(
      actionIssues(life.repo)
        .filter((i) => readActionMarker(i.body as string)?.path === PATH)
        .map((i) => i.title),
    ).toEqual(["Add pool saturation alert", "Load test the checkout service"]);
    // The planted issue is untouched.
    expect(bodyOf(life, planted.number as number)).toBe(plantedBody);
    expect(life.repo.issue(planted.number as number)?.state).toBe("open");

    // A verbatim copy of the other tracking issue's body, its signed marker included: still not
    // the app's, so it is neither updated nor closed as a duplicate when that post-mortem changes.
    const copy = life.repo.userCreateIssue(
      { title: genuine?.title as string, body: genuine?.body as string, labels: ["post-mortem"] },
      { login: "mallory" },
    );
    const copyBefore = JSON.stringify(life.repo.issue(copy.number as number));
    await push(life, {
      [OTHER]: postmortem([ROWS.runbook, ROWS.loadTest], { title: "Search outage" }),
    });
    expect(JSON.stringify(life.repo.issue(copy.number as number))).toBe(copyBefore);
    expect(checklist(life.repo.issue(numberOf(genuine as never)) as never)).toHaveLength(2);
  });

  it("never rewrites or closes a person's issue with the action label and an edited marker", async () => {
    const life = await startLife(github(), clock);
    await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.runbook]) });
    const real = actionIssues(life.repo)[1];
    // Someone else's issue dressed up as the runbook action, about to be removed.
    const impostor = life.repo.userCreateIssue(
      {
        title: "Unrelated: rotate the search keys",
        // The real issue's body, its signed marker included (any reader can copy it).
        body: real?.body as string,
        labels: ["post-mortem-action"],
      },
      { login: "mallory" },
    );
    const before = JSON.stringify(life.repo.issue(impostor.number as number));
    life.gh.resetRequests();
    await push(life, { [PATH]: postmortem([ROWS.alert]) });
    expect(JSON.stringify(life.repo.issue(impostor.number as number))).toBe(before);
    expect(writeTargets(life.gh)).not.toContain(`PATCH issues/${impostor.number}`);
    expect(writeTargets(life.gh)).not.toContain(`POST issues/${impostor.number}/comments`);
    // The real issue of the removed action is the one closed.
    expect(life.repo.issue(numberOf(real as never))?.state).toBe("closed");
    // An event on the impostor costs nothing either.
    life.gh.resetRequests();
    life.repo.userUpdateIssue(impostor.number as number, { state: "closed" }, { login: "mallory" });
    await issueEvent(life, "closed", impostor.number as number, { sender: person("mallory") });
    expect(writeTargets(life.gh)).toEqual([]);
  });
});

describe("markers people edited", () => {
  async function twoPostmortems() {
    const life = await startLife(github(), clock);
    await push(life, {
      [PATH]: postmortem([ROWS.alert, ROWS.runbook]),
      [OTHER]: postmortem([ROWS.loadTest], { title: "Search outage" }),
    });
    const trackingOf = (path: string) =>
      appTrackings(life).find((i) => readTrackingMarker(i.body as string)?.path === path);
    return { life, trackingOf };
  }

  function editMarker(body: string, edit: (marker: Record<string, unknown>) => void): string {
    return body.replace(
      /<!-- follow-through:tracking (\{.*?\})(?: [\w-]{22})? -->/s,
      (_all, json: string) => {
        const marker = JSON.parse(json);
        edit(marker);
        return `<!-- follow-through:tracking ${JSON.stringify(marker)} -->`;
      },
    );
  }

  it("ignores a tracking marker pointed at another post-mortem: neither issue is closed", async () => {
    const { life, trackingOf } = await twoPostmortems();
    const checkout = trackingOf(PATH);
    const search = trackingOf(OTHER);
    life.repo.userUpdateIssue(
      numberOf(checkout as never),
      {
        body: editMarker(checkout?.body as string, (m) => {
          m.doc = OTHER;
          m.path = OTHER;
        }),
      },
      { login: "mallory" },
    );
    // The search post-mortem changes: its own tracking issue stays its own.
    await push(life, {
      [OTHER]: postmortem([ROWS.loadTest, ROWS.runbook], { title: "Search outage" }),
    });
    expect(life.repo.issue(numberOf(search as never))?.state).toBe("open");
    expect(life.repo.issue(numberOf(checkout as never))?.state).toBe("open");
    expect(appTrackings(life).length).toBeGreaterThanOrEqual(2);
    // The checkout post-mortem changes: its tracking issue gets its own marker back, no new one.
    await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.runbook, ROWS.loadTest]) });
    expect(trackingOf(PATH)?.number).toBe(checkout?.number);
    expect(trackingOf(OTHER)?.number).toBe(search?.number);
    expect(appTrackings(life)).toHaveLength(2);
    expect(life.repo.issue(numberOf(checkout as never))?.state).toBe("open");
    expect(checklist(trackingOf(PATH) as never)).toHaveLength(3);
  });

  it("ignores an edited marker that marks every action closed or swaps the action label", async () => {
    const { life, trackingOf } = await twoPostmortems();
    const checkout = trackingOf(PATH);
    const number = numberOf(checkout as never);
    const forged = editMarker(checkout?.body as string, (m) => {
      const view = m.view as { a: unknown[][] };
      for (const entry of view.a) entry[2] = "c";
      m.labels = { tracking: "post-mortem", action: "wontfix" };
    });
    const before = checkout?.body as string;
    life.repo.userUpdateIssue(number, { body: forged }, { login: "mallory" });
    await issueEvent(life, "edited", number, {
      sender: person("mallory"),
      changes: { body: { from: before } },
    });
    // The marker the app signed is back; nothing closed, no label of the forger's choosing.
    expect(life.repo.issue(number)?.state).toBe("open");
    expect(readTrackingMarker(bodyOf(life, number))?.labels?.action).toBe("post-mortem-action");
    for (const issue of actionIssues(life.repo)) {
      expect(issue.state).toBe("open");
      expect(labelNames(issue)).not.toContain("wontfix");
    }
    // An action closed for real still closes through the tracking issue as usual.
    const [first] = actionIssues(life.repo);
    life.repo.userUpdateIssue(numberOf(first as never), { state: "closed" }, { login: "alice" });
    await issueEvent(life, "closed", numberOf(first as never), { sender: person("alice") });
    expect(checklist(life.repo.issue(number) as never)[0]).toMatch(/^- \[x\] /);
  });

  it("rebuilds an action issue whose marker a person edited, without opening it again", async () => {
    const life = await startLife(github(), clock);
    await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.runbook]) });
    const [alert] = actionIssues(life.repo);
    const number = numberOf(alert as never);
    const edited = String(alert?.body).replace(/"key":"[^"]*"/, '"key":"something else"');
    life.repo.userUpdateIssue(number, { body: edited, assignees: ["dave"] }, { login: "mallory" });

    await push(life, { [PATH]: postmortem([ROWS.alert, ROWS.runbook, ROWS.loadTest]) });
    const mine = actionIssues(life.repo).map((i) => i.title);
    expect(mine).toEqual([
      "Add pool saturation alert",
      "Write the checkout runbook",
      "Load test the checkout service",
    ]);
    // Its signed marker is back, with the document's key; the person's reassignment stays.
    expect(readActionMarker(bodyOf(life, number))?.key).toBe("add pool saturation alert");
    expect(logins(life.repo.issue(number))).toEqual(["dave"]);
  });
});
