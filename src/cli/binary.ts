/**
 * A FILE that is not text (an image, an archive, a compiled file given by mistake) gets one
 * finding instead of a parse: its bytes read as markdown would only produce noise.
 */
import type { Postmortem } from "../core/postmortem/model.js";
import { parsePostmortem } from "../core/postmortem/parse.js";

export const NOT_TEXT_RULE = "not-text";

/** How much of the start is looked at, as git does to tell binary files from text. */
const SNIFF_CHARS = 8000;

/** A NUL character near the start: no text format people write post-mortems in has one. */
export function isBinary(text: string): boolean {
  return text.slice(0, SNIFF_CHARS).includes("\u0000");
}

/** The model of an empty document at `path`, whose only finding says the file is not text. */
export function binaryDocument(path: string): Postmortem {
  return {
    ...parsePostmortem("", { path }),
    findings: [
      {
        level: "error",
        rule: NOT_TEXT_RULE,
        message: "the file is not text (it holds NUL bytes): it is not read as a post-mortem",
        line: null,
      },
    ],
  };
}
