/**
 * Open action issues as the sync would have written them, put straight into the fake: the review
 * and the reminders only read what the sync wrote, and thousands of them are quick to seed this way.
 */
import { actionMarker } from "../../src/core/plan/marker.js";
import type { FakeGitHub, FakeRepo } from "./fake-github/index.js";

export interface SeedOptions {
  /** The due date of the i-th action (YYYY-MM-DD), or null. */
  due: (i: number) => string | null;
  label?: string;
  assignees?: string[];
  /** Spread over this many post-mortems (default 20). */
  documents?: number;
}

/** Seeds `count` action issues; returns their numbers in order. */
export function seedActions(
  gh: FakeGitHub,
  repo: FakeRepo,
  count: number,
  options: SeedOptions,
): number[] {
  const label = options.label ?? "post-mortem-action";
  const assignees = options.assignees ?? ["alice"];
  const documents = options.documents ?? 20;
  const numbers: number[] = [];
  for (let i = 0; i < count; i++) {
    const doc = `docs/postmortems/pm-${i % documents}.md`;
    const marker = actionMarker({
      doc,
      path: doc,
      key: `action ${i}`,
      index: i,
      due: options.due(i),
      tracking: null,
      synced: {
        title: `Action ${i}`,
        body: "",
        assignees,
        milestone: null,
        labels: [label],
        done: false,
      },
    });
    const issue = repo.userCreateIssue(
      { title: `Action ${i}`, body: `Do thing ${i}.\n\n${marker}`, labels: [label], assignees },
      { login: gh.botLogin },
    );
    numbers.push(issue.number as number);
  }
  return numbers;
}
