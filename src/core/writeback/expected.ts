/**
 * What a post-mortem should read as once edits are made: the same, except for the timeline, which
 * holds its section's markdown as written (an action section nested under the timeline is part
 * of it, edits included).
 */
import type { Postmortem } from "../postmortem/model.js";
import type { TextEdit } from "./source-text.js";

/** `pm` with its timeline's text edited as `text` (the parser's text) is. */
export function expectedReading(
  pm: Postmortem,
  text: string,
  edits: readonly TextEdit[],
): Postmortem {
  const timeline = pm.timeline;
  if (!timeline) return pm;
  const start = sliceStart(text, timeline.line, timeline.text);
  if (start === null) return pm;
  const end = start + timeline.text.length;
  let edited = timeline.text;
  const inside = edits.filter((edit) => edit.start >= start && edit.end <= end);
  for (const edit of [...inside].sort((a, b) => b.start - a.start))
    edited = edited.slice(0, edit.start - start) + edit.text + edited.slice(edit.end - start);
  return edited === timeline.text ? pm : { ...pm, timeline: { ...timeline, text: edited } };
}

/** Where a slice of the text that starts on a line (after its indentation) begins, or null. */
function sliceStart(text: string, line: number, slice: string): number | null {
  let offset = 0;
  for (let n = 1; n < line; n++) {
    const newline = text.indexOf("\n", offset);
    if (newline === -1) return null;
    offset = newline + 1;
  }
  for (let indent = 0; indent <= 3; indent++)
    if (text.startsWith(slice, offset + indent)) return offset + indent;
  return null;
}
