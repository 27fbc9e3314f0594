/** The timeline section, and whether its times say which zone they are in. */
import { isTimelineHeading } from "./headings.js";
import type { Source } from "./markdown.js";
import type { Postmortem } from "./model.js";
import { findSection, type Section } from "./outline.js";

export function readTimeline(source: Source, sections: Section[]): Postmortem["timeline"] {
  const section = findSection(sections, isTimelineHeading);
  if (!section) return null;
  const last = section.nodes[section.nodes.length - 1];
  const body = last
    ? source.text.slice(section.heading.position?.start.offset ?? 0, last.position?.end.offset)
    : section.title;
  return { text: body, line: section.line };
}

const TIME = /\b(?:[01]?\d|2[0-3]):[0-5]\d\b/;
const ZONE =
  /\b(?:UTC|GMT|Z|[ECMPA][SD]T|BST|IST|JST|KST|SGT|HKT|GST|CET|CEST|EET|EEST|WET|WEST|MSK|AEST|AEDT|NZST|NZDT|Pacific|Eastern|Central|Mountain|[Tt]ime ?[Zz]one)\b|UTC[+-]\d|[+-]\d{2}:?\d{2}\b|\b[A-Z][a-z]+\/[A-Z][A-Za-z_]+\b|\d(?::\d\d)?Z\b/;

export function hasTimesWithoutZone(text: string): boolean {
  return TIME.test(text) && !ZONE.test(text);
}
