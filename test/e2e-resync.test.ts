/**
 * The level-triggered resync: with no delivery at all, a repository's post-mortems converge, and
 * an unchanged repository costs a few reads and no write.
 */
import { describe, expect, it } from "vitest";
import { readTrackingMarker } from "../src/core/plan/marker.js";
import { useFakeGitHub } from "./support/fake-github/index.js";
import {
  actionIssues,
  checklist,
  type Life,
  PATH,
  postmortem,
  push,
  ROWS,
  resync,
  START,
  startLife,
  trackingIssues,
  traffic,
} from "./support/lifecycle.js";

const clock = { now: new Date(START) };
const github = useFakeGitHub(() => ({ now: () => clock.now }));
const OTHER = "docs/postmortems/2026-03-05-search.md";

const titles = (life: Life) => actionIssues(life.repo).map((i) => i.title);

describe("a repository's resync", () => {
  it("syncs what changed without a delivery, then makes no write", async () => {
    const life = await startLife(github(), clock);
    await push(life, { [PATH]: postmortem([ROWS.alert]) });
    // Two commits whose deliveries never arrive: one edits the post-mortem, one adds another.
    life.head = life.repo.commit({ [PATH]: postmortem([ROWS.alert, ROWS.runbook]) });
    life.head = life.repo.commit({
      [OTHER]: postmortem([ROWS.loadTest], { title: "Search outage" }),
    });

    const first = await resync(life);
    expect(first).toMatchObject({ documents: 2, failed: [] });
    expect(titles(life)).toEqual([
      "Add pool saturation alert",
      "Write the checkout runbook",
      "Load test the checkout service",
    ]);
    const blobs = trackingIssues(life.repo).map((i) => readTrackingMarker(i.body as string)?.blob);
    expect(blobs.every((blob) => /^[0-9a-f]{40}$/.test(blob ?? ""))).toBe(true);

    life.gh.resetRequests();
    const again = await resync(life);
    expect(again).toMatchObject({ documents: 2, reconciled: [], failed: [] });
    const { reads, writes } = traffic(life.gh);
    expect(writes).toEqual([]);
    // The config, the branch head, the tree and the tracking issues: nothing per document.
    expect(reads).toEqual([
      "GET repos/get-content",
      "GET git/get-ref",
      "GET git/get-tree",
      "GET issues/list-for-repo",
    ]);
  });

  it("finishes a sync that ran out of writes halfway, with no new delivery", async () => {
    const life = await startLife(github(), clock);
    const rows = Array.from(
      { length: 12 },
      (_, i) => `| Harden dependency ${i + 1} | @alice | 2026-03-20 | P2 | |`,
    );
    life.head = life.repo.commit({ [PATH]: postmortem(rows) });
    const cut = await resync(life, 6);
    expect(cut).toMatchObject({ failed: [{ path: PATH }] });
    expect(titles(life).length).toBeLessThan(12);

    const rest = await resync(life);
    expect(rest).toMatchObject({ failed: [] });
    expect(titles(life)).toHaveLength(12);
    const [tracking] = trackingIssues(life.repo);
    expect(checklist(tracking)).toHaveLength(12);
    life.gh.resetRequests();
    await resync(life);
    expect(traffic(life.gh).writes).toEqual([]);
  });
});
