/** Recognising sections by their headings, whatever numbering, emoji or punctuation they carry. */

/** Headings are normalized once per test they are put to: remember the last few hundred. */
const normalized = new Map<string, string>();
const NORMALIZED_KEPT = 500;

/** Lower case, `&` as "and", no numbering, emoji, punctuation or extra space. */
export function normalizeHeading(text: string): string {
  const known = normalized.get(text);
  if (known !== undefined) return known;
  const result = normalize(text);
  if (text.length <= 200) {
    if (normalized.size >= NORMALIZED_KEPT) normalized.clear();
    normalized.set(text, result);
  }
  return result;
}

function normalize(text: string): string {
  return text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/^\s*(?:\d+(?:\.\d+)*|[ivx]+|[a-z])[.)]\s+/, "")
    .replace(/[^\p{Letter}\p{Number}' ]+/gu, " ")
    .replace(/'/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\d+ /, "");
}

const ACTION_HEADINGS: RegExp[] = [
  /^(?:post ?mortem |other |further |additional )?follow ?ups?(?: actions?| action items?| items?| tasks?| work)?$/,
  /^(?:open |key |post ?mortem |other |further |additional )?action(?:s| items?| points?| plan)?(?: and follow ?ups?)?$/,
  /^action items? and (?:next steps|owners)$/,
  /^(?:corrective|preventive|preventative|remedial)(?: and (?:preventive|preventative|corrective))? (?:actions?|measures?|action items?)$/,
  /^capa$/,
  /^remediations?(?: actions?| items?| plan| steps)?$/,
  /^next steps?$/,
  /^(?:todos?|to dos?|tasks)$/,
  /^what (?:we re|we are|were) (?:doing|going to do)(?: about it| next)?$/,
  /^(?:improvements|improvement actions|prevention|preventing recurrence)$/,
  /^how (?:are we going to|will we|do we|can we|we will|we are going to|we re going to|we ll) (?:do better|prevent|avoid|improve|make sure)\b/,
  /^what (?:will we do|we will do|we ll do|we are going to do)(?: differently| next| about it)?$/,
  /^(?:what has been done|actions? taken|actions? planned|completed actions)$/,
  /^(?:future work|going forward|looking forward)$/,
];

/** Follow-up sections by a weaker name: read only when a document has no action section. */
const FALLBACK_ACTION_HEADINGS =
  /^(?:mitigations?|mitigation (?:steps|actions|plan)|recommendations?|recommended actions|lessons learned|learnings)$/;

export function isFallbackActionHeading(text: string): boolean {
  return FALLBACK_ACTION_HEADINGS.test(normalizeHeading(text));
}

/**
 * A short heading that names action items or follow-ups among other words ("Action items /
 * follow-ups", "Follow-ups and owners"), unless it is a timeline or a list of questions.
 */
const ACTION_PHRASE = /^(?:\S+ ){0,3}(?:action items?|follow ?ups?|next steps)(?: \S+){0,3}$/;
const NOT_ACTIONS = /timeline|questions?|meeting|call|email|survey|history|no action/;

export function isActionHeading(text: string): boolean {
  const normalized = normalizeHeading(text);
  if (ACTION_HEADINGS.some((pattern) => pattern.test(normalized))) return true;
  return ACTION_PHRASE.test(normalized) && !NOT_ACTIONS.test(normalized);
}

/** Only the names themselves: a line of text must be exactly one to open a section. */
export function isActionSectionName(text: string): boolean {
  const normalized = normalizeHeading(text);
  return ACTION_HEADINGS.some((pattern) => pattern.test(normalized));
}

export function isRootCauseHeading(text: string): boolean {
  const normalized = normalizeHeading(text);
  return /^(?:the )?root causes?(?: analysis)?$|^rca$|^root cause and trigger$|^causes?$/.test(
    normalized,
  );
}

/** Weaker matches, used only when no heading is exactly "Root cause". */
export function isLooseRootCauseHeading(text: string): boolean {
  const normalized = normalizeHeading(text);
  return /root cause|technical cause|contributing factors|^fault$|why (?:it|this) happened/.test(
    normalized,
  );
}

export function isSummaryHeading(text: string): boolean {
  return /^(?:incident |executive )?(?:summary|overview|tl ?dr|description|what happened)$/.test(
    normalizeHeading(text),
  );
}

export function isTimelineHeading(text: string): boolean {
  return /timeline|chronology|sequence of events/.test(normalizeHeading(text));
}

export function isCouldBeBetterHeading(text: string): boolean {
  return /^(?:could (?:be|have been|have gone) better|what (?:went|could have gone) (?:wrong|badly|better)|what didn ?t go (?:so )?well|what didnt go (?:so )?well|areas (?:for|of) improvement|opportunities for improvement)$/.test(
    normalizeHeading(text),
  );
}

/** The review parts of a post-mortem: what went well or wrong, where it got lucky. */
export function isReviewHeading(text: string): boolean {
  return /^(?:what (?:went|worked) (?:well|wrong|badly|right)|what (?:didn ?t|did not) (?:go|work)(?: so)? well|where we got lucky|we got lucky|lucky|worked well|went well|could (?:be|have been) better|things that went (?:well|wrong))$/.test(
    normalizeHeading(text),
  );
}

/** Sub-sections that explain rather than act: "Notes", "Background", "Open questions". */
export function isAsideHeading(text: string): boolean {
  return /^(?:(?:additional |further |other )?notes?|context|background|summary|overview|details|references?|links|appendix|discussion|glossary|definitions|legend|status|owners|comments|(?:open )?questions|faq|key|types|priorities)$/.test(
    normalizeHeading(text),
  );
}

/** How to run a process or recover a system: instructions, never follow-up actions. */
export function isProcessHeading(text: string): boolean {
  return /^(?:[\p{L} ]+ )?checklist$|^(?:recovery|rollback|restore|restoration)(?: steps| instructions| procedure)?$|^how to (?:recover|restore|roll back|rollback)\b|^(?:instructions|procedure|runbook|process)$/u.test(
    normalizeHeading(text),
  );
}
