/** The pure side of incidents: what is due, what a reference is, the review rows and the comments. */
import { describe, expect, it } from "vitest";
import {
  classifyRef,
  dueIncidents,
  type IncidentConfig,
  incidentListSince,
  referenceNotices,
  reviewIncidents,
} from "../src/core/plan/incidents.js";
import { incidentMarker, readIncidentMarker } from "../src/core/plan/marker.js";
import type { IssueState } from "../src/core/plan/model.js";
import { renderPostmortemDue } from "../src/core/render/incidents.js";
import { renderReviewBody } from "../src/core/render/review.js";
import { markerKey, markerSigner } from "../src/github/marker-signature.js";

const CONFIG: IncidentConfig = { label: "incident", postmortem_due_hours: 48, owners: [] };
const NOW = new Date("2026-03-10T12:00:00Z");

function incident(
  number: number,
  closedAt: string | null,
  extra: Partial<IssueState> = {},
): IssueState {
  return {
    id: 1_000 + number,
    number,
    title: `Incident ${number}`,
    body: "",
    state: closedAt ? "closed" : "open",
    stateReason: closedAt ? "completed" : null,
    assignees: [],
    milestone: null,
    labels: ["incident"],
    createdAt: "2026-03-01T00:00:00Z",
    closedAt,
    author: "alice",
    ...extra,
  };
}

describe("dueIncidents", () => {
  it("keeps closed incidents past their due time and within the window, oldest first", () => {
    const list = [
      incident(1, "2026-03-08T13:00:00Z"), // due in an hour
      incident(2, "2026-03-08T11:00:00Z"), // due an hour ago
      incident(3, "2026-03-05T10:00:00Z"),
      incident(4, "2026-02-20T10:00:00Z"), // due more than a week ago: let go
      incident(5, null),
    ];
    expect(dueIncidents(list, new Set(), NOW, CONFIG).map((i) => i.number)).toEqual([3, 2]);
  });

  it("leaves out not-planned closes, the no-postmortem label and incidents with a post-mortem", () => {
    const closed = "2026-03-07T00:00:00Z";
    const list = [
      incident(1, closed, { stateReason: "not_planned" }),
      incident(2, closed, { labels: ["incident", "No-Postmortem"] }),
      incident(3, closed),
      incident(4, closed),
    ];
    expect(dueIncidents(list, new Set([4]), NOW, CONFIG).map((i) => i.number)).toEqual([3]);
  });

  it("follows the configured hours", () => {
    const list = [incident(1, "2026-03-10T00:00:00Z")];
    expect(dueIncidents(list, new Set(), NOW, CONFIG)).toEqual([]);
    expect(dueIncidents(list, new Set(), NOW, { ...CONFIG, postmortem_due_hours: 6 })).toHaveLength(
      1,
    );
  });
});

describe("incidentListSince", () => {
  it("reaches back over the window, or to the review's start when that is earlier", () => {
    expect(incidentListSince(NOW, CONFIG)).toBe("2026-03-01T12:00:00.000Z");
    expect(incidentListSince(NOW, CONFIG, "2026-02-01T00:00:00Z")).toBe("2026-02-01T00:00:00.000Z");
  });
});

describe("references", () => {
  const input = { label: "incident", ownedByApp: false, htmlUrl: "https://github.com/acme/shop" };
  it("is an incident only with the label, on a person's issue", () => {
    expect(classifyRef(7, incident(7, null), input).kind).toBe("incident");
    expect(classifyRef(7, incident(7, null, { labels: ["bug"] }), input).kind).toBe("not-incident");
    expect(classifyRef(7, incident(7, null), { ...input, ownedByApp: true }).kind).toBe(
      "not-incident",
    );
    expect(classifyRef(7, null, input)).toMatchObject({
      kind: "missing",
      url: "https://github.com/acme/shop/issues/7",
    });
  });

  it("gives a notice for each reference that is not an incident", () => {
    const refs = [
      classifyRef(1, incident(1, null), input),
      classifyRef(2, incident(2, null, { labels: [] }), input),
      classifyRef(3, null, input),
    ];
    const notices = referenceNotices(refs, "incident");
    expect(notices.map((n) => [n.level, n.message.slice(0, 3)])).toEqual([
      ["notice", "#2 "],
      ["notice", "#3 "],
    ]);
  });
});

describe("reviewIncidents and its section", () => {
  const incidents = [
    incident(1, "2026-02-03T00:00:00Z"),
    incident(2, "2026-03-01T00:00:00Z"),
    incident(3, "2026-03-09T00:00:00Z"), // not due yet
    incident(4, "2026-01-20T00:00:00Z"), // before the period
    incident(5, "2026-02-10T00:00:00Z", { stateReason: "not_planned" }),
    incident(6, "2026-02-04T00:00:00Z"),
  ];
  const postmortems = new Map([
    [1, { tracking: 40, title: "Queue outage", mergedAt: "2026-02-04T00:00:00Z" }],
    [6, { tracking: 41, title: "DNS outage", mergedAt: "2026-02-20T00:00:00Z" }],
  ]);
  const result = reviewIncidents(incidents, postmortems, {
    from: "2026-02-01T00:00:00Z",
    now: NOW,
    config: CONFIG,
  });

  it("lists the period's incidents, overdue first, and counts those on time among the due", () => {
    expect(result.items.map((i) => [i.number, i.overdue, i.onTime])).toEqual([
      [2, true, false],
      [1, false, true],
      [6, false, false],
      [3, false, false],
    ]);
    expect([result.onTime, result.due]).toEqual([1, 3]);
  });

  it("renders the section with the share, the post-mortems and none yet", () => {
    const body = renderReviewBody({
      month: "2026-03",
      today: "2026-03-10",
      items: [],
      issuesUrl: "https://github.com/acme/shop/issues",
      actionLabel: "post-mortem-action",
      incidents: { ...result, label: "incident" },
    });
    expect(body).toContain("### Incidents closed since February 2026 (4)");
    expect(body).toContain("Post-mortem on time: **33%** (1 of 3 incidents past their due time).");
    expect(body).toContain("| #2 Incident 2 | 2026-03-01 | **none yet** (overdue) |");
    expect(body).toContain("| #1 Incident 1 | 2026-02-03 | #40 Queue outage |");
    expect(body).toContain("| #6 Incident 6 | 2026-02-04 | #41 DNS outage (late) |");
    expect(body).toContain("| #3 Incident 3 | 2026-03-09 | none yet |");
  });
});

describe("the due comment and its marker", () => {
  it("mentions the people, links the template and says where documents go", () => {
    const body = renderPostmortemDue({
      number: 12,
      people: ["dave", "erin"],
      closedAt: "2026-03-01T10:00:00Z",
      dueHours: 48,
      paths: ["docs/postmortems/**/*.md"],
    });
    expect(body.startsWith("@dave @erin this incident closed on 2026-03-01")).toBe(true);
    expect(body).toContain("/docs/postmortem-template.md)");
    expect(body).toContain("(`docs/postmortems/**/*.md`)");
    expect(readIncidentMarker(body)).toEqual({ event: "due" });
  });

  it("counts only when the app signed it: a copied marker is taken out", () => {
    const signer = markerSigner(markerKey("secret"), "acme/shop");
    const marker = incidentMarker({ event: "linked", tracking: 3 });
    expect(readIncidentMarker(signer.verify(signer.sign(marker)))).toEqual({
      event: "linked",
      tracking: 3,
    });
    expect(readIncidentMarker(signer.verify(marker))).toBeNull();
    const other = markerSigner(markerKey("secret"), "acme/other");
    expect(readIncidentMarker(other.verify(signer.sign(marker)))).toBeNull();
  });
});
