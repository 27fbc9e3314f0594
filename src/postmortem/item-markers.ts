/** Status and priority markers around an action's text, in a list item or a table cell. */
import {
  stripLeadingDone,
  stripLeadingPriority,
  stripStrikethrough,
  stripTrailingDone,
} from "./markers.js";

export interface Marked {
  text: string;
  /**
   * The text as the parser read it before struck items kept only their struck words, when that
   * differs: the action's identity key is computed from it, so issues synced before keep theirs.
   */
  keyText?: string;
  done: boolean;
  priority: string | null;
}

export function readMarkers(raw: string): Marked {
  const leading = stripLeadingDone(raw.trim());
  const struck = stripStrikethrough(leading.text);
  const prioritized = stripLeadingPriority(struck.text);
  const trailing = stripTrailingDone(prioritized.text);
  const marked: Marked = {
    text: trailing.text,
    done: leading.done || struck.done || trailing.done,
    priority: prioritized.priority,
  };
  // Only a text struck through whole was unwrapped before; one with a reason after it kept both.
  if (struck.done && !/^~~((?:(?!~~).)+)~~\s*\.?$/s.test(leading.text)) {
    const before = stripTrailingDone(stripLeadingPriority(leading.text).text).text;
    if (before !== marked.text) marked.keyText = before;
  }
  return marked;
}
