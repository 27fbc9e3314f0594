/**
 * A person's edit of the tracking issue's checklist, box by box: which action issues they ticked
 * or unticked. Pure; only lines the app renders (`- [ ] #12 …`) and issues it tracks count.
 */

/** One box a person changed: `ticked` true closes the action issue, false reopens it. */
export interface BoxChange {
  number: number;
  ticked: boolean;
}

const BOX = /^\s*[-*] \[([ xX])\] #(\d+)\b/;

/** The boxes of a body, by issue number (a number listed twice counts by its first line). */
export function boxesOf(body: string | null | undefined): Map<number, boolean> {
  const boxes = new Map<number, boolean>();
  for (const line of (body ?? "").split("\n")) {
    const match = line.match(BOX);
    if (!match?.[1] || !match[2]) continue;
    const number = Number(match[2]);
    if (!boxes.has(number)) boxes.set(number, match[1] !== " ");
  }
  return boxes;
}

/**
 * The boxes an edit changed (`before` → `after`), among `tracked` issue numbers, and only where
 * the body as it is now (`now`) still shows the edit's state: a later edit, delivered first, wins.
 */
export function changedBoxes(
  before: string | null | undefined,
  after: string | null | undefined,
  now: string | null | undefined,
  tracked: ReadonlySet<number>,
): BoxChange[] {
  const was = boxesOf(before);
  const is = boxesOf(after);
  const current = boxesOf(now);
  const changes: BoxChange[] = [];
  for (const [number, ticked] of is) {
    const previous = was.get(number);
    if (previous === undefined || previous === ticked || !tracked.has(number)) continue;
    if (current.has(number) && current.get(number) !== ticked) continue;
    changes.push({ number, ticked });
  }
  return changes;
}

/** Whether an issue already is where the box puts it (closed for any reason counts as ticked). */
export function inBoxState(issue: { state: "open" | "closed" }, ticked: boolean): boolean {
  return (issue.state === "closed") === ticked;
}
