/** Status and priority markers around an action's text, in a list item or a table cell. */
import {
  stripLeadingDone,
  stripLeadingDoneWord,
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
  const word = stripLeadingDoneWord(leading.text);
  const struck = stripStrikethrough(word.text);
  const prioritized = stripLeadingPriority(struck.text);
  const trailing = stripTrailingDone(prioritized.text);
  const marked: Marked = {
    text: trailing.text,
    done: leading.done || word.done || struck.done || trailing.done,
    priority: prioritized.priority,
  };
  // Read as earlier versions did: a done word before the text was kept, and only a text struck
  // through whole was unwrapped.
  if (word.done || (struck.done && !/^~~((?:(?!~~).)+)~~\s*\.?$/s.test(word.text))) {
    const before = earlierText(leading.text);
    if (before !== marked.text) marked.keyText = before;
  }
  return marked;
}

/** The text as the marker rules before done words and struck reasons read it. */
function earlierText(text: string): string {
  const struck = /^~~((?:(?!~~).)+)~~\s*\.?$/s.exec(text);
  const unwrapped = struck?.[1] ? struck[1].trim() : text;
  return stripTrailingDone(stripLeadingPriority(unwrapped).text).text;
}
