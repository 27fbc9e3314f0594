/**
 * Reading follow-up prose: which sentences commit to work, which report work already done, and
 * which only explain. Used where an action section is written without list markers.
 */

/** Verbs a follow-up written in the imperative starts with ("Add …", "Hire …", "Set up …"). */
const IMPERATIVE =
  /^(?:add|adopt|alert|analy[sz]e|archive|assess|audit|automate|back ?port|build|change|check|clarify|clean(?: up)?|communicate|configure|consider|create|decommission|define|deploy|deprecate|design|develop|disable|discuss|document|drop|enable|enforce|engage|ensure|establish|evaluate|expand|explore|extend|figure out|find|fix|follow up|harden|hire|implement|improve|include|increase|inform|install|integrate|introduce|investigate|limit|look into|make|migrate|monitor|move|notify|patch|plan|prepare|prevent|prioriti[sz]e|provide|publish|reduce|refactor|remove|rename|replace|require|research|restrict|review|revert|rewrite|rotate|run|schedule|separate|set up|share|split|standardi[sz]e|start|stop|switch|teach|test|track|train|update|upgrade|use|validate|verify|write)\b/i;

/** Words that commit to future work: "we will", "should be implemented", "needs to". */
const COMMITS =
  /\b(?:will|shall|should|must|need(?:s)? to|have to|has to|going to|plan(?:s|ning)? to|intend(?:s)? to|aim(?:s)? to|to be (?:done|implemented|added|established|fixed))\b|\bwe(?:'re| are) (?:also |now |currently )?\w+ing\b|\bwe(?:'ll| will)\b/i;

/** "We <verb>ed" that reports no work: "we decided", "we noticed", "we learned". */
const NOT_WORK = "(?!need|decid|notic|guess|realiz|realis|learn|found|saw|were|was|had|did)";

/** Statements of work already done: "we have added", "has been disabled", "was introduced". */
const REPORTS_DONE = new RegExp(
  [
    String.raw`\b(?:has|have) (?:now |already |also )?been (?:\w+ly )?\w+(?:ed|en|wn|ne|lt|ht|ung|ade)\b`,
    String.raw`\bwe(?: have|'ve)? (?:now |already |also )?${NOT_WORK}\w+ed\b`,
    String.raw`\b(?:was|were) (?!to\b|not\b|being\b|supposed\b|expected\b|able\b|unable\b)(?:\w+ly )?\w+(?:ed|en|wn|lt|ht)\b`,
    String.raw`\bis now \w+(?:ed|en)\b`,
  ].join("|"),
  "i",
);

/** Prose under a heading-item that reports the team's own finished work ("We enabled now …"). */
const BODY_DONE = new RegExp(
  [
    String.raw`\bwe (?:now |already |also )?${NOT_WORK}\w+ed\b`,
    String.raw`\bwe \w+ed now\b`,
    String.raw`\b(?:has|have) (?:now |already )?been \w+(?:ed|en)\b`,
  ].join("|"),
  "i",
);

/** Past-tense verbs a finished item opens with ("Introduced seeds …"); not ones read as adjectives. */
const OPENS_DONE =
  /^(?:introduced|added|removed|fixed|deployed|released|wrote|migrated|replaced|upgraded|rolled (?:back|out)|patched|rotated|revoked|reverted|merged|shipped|enabled|disabled|implemented|created|documented|published)\b/i;

/**
 * Any past-tense verb opening a sentence with its object after it ("Flushed the cache"): an
 * "-ed" word followed by an article or pronoun is a verb, not an adjective ("Automated tests").
 */
const VERB_WITH_OBJECT =
  /^[A-Za-z]+ed (?:the|a|an|our|all|its|their|this|these|those|some|every|each|it|them|both)\b/i;

/** The first sentence: done and commitment are judged on it, not on the rationale after it. */
export function firstSentence(text: string): string {
  const match = text.match(/^.*?[.!?](?=\s+[A-Z(]|\s*$)/s);
  return (match ? match[0] : text).trim();
}

/** A sentence in the imperative: the form a proposal takes ("Add these to the documentation"). */
export function isImperative(text: string): boolean {
  return IMPERATIVE.test(firstSentence(plain(text)));
}

/** A sentence that proposes or promises work: an imperative, "we will", "should". */
export function commitsToWork(text: string): boolean {
  const sentence = firstSentence(plain(text));
  return IMPERATIVE.test(sentence) || COMMITS.test(sentence);
}

/** A sentence that says the work is still to come: "we will", "should", "we are replacing". */
export function saysFuture(text: string): boolean {
  return COMMITS.test(firstSentence(plain(text)));
}

/** A sentence that reports finished work and commits to nothing more. */
export function reportsDoneWork(text: string): boolean {
  const sentence = firstSentence(plain(text));
  if (COMMITS.test(sentence) || /\b(?:if|once|until|unless)\b/i.test(sentence)) return false;
  return (
    OPENS_DONE.test(sentence) || VERB_WITH_OBJECT.test(sentence) || REPORTS_DONE.test(sentence)
  );
}

/** A body of prose (under a heading-item) that reports done work and asks for none. */
export function bodyReportsDone(text: string): boolean {
  const body = plain(text);
  if (COMMITS.test(body) || /\bpriorit(?:y|ies)\b|\bto fix\b/i.test(body)) return false;
  return BODY_DONE.test(body);
}

/** A line that introduces what follows ("We are committed to:"): not an action itself. */
export function isLeadIn(text: string): boolean {
  return /:\s*$/.test(text);
}

/** A question is never an action, however it is worded. */
export function isQuestion(text: string): boolean {
  return /\?\s*$/.test(firstSentence(text));
}

/**
 * The units a paragraph of follow-up prose is read in: its lines when every line is a sentence of
 * its own or starts with an imperative (one per line, without list markers), else the paragraph;
 * after a lead-in sentence ending in a colon, each sentence that follows it.
 */
export function proseUnits(markdown: string): { text: string; offset: number }[] {
  const lines = markdown.split("\n");
  const oneSentenceEach =
    lines.length > 1 &&
    lines.every((line, i) => {
      const next = lines[i + 1];
      return next === undefined || (/[.!?:)]\s*$/.test(line) && /^\s*[A-Z0-9"“*_`[]/.test(next));
    });
  // Lines without full stops that each start with an imperative are one action each too.
  const oneActionEach = lines.length > 1 && lines.every((line) => isImperative(line.trim()));
  if (oneSentenceEach || oneActionEach) {
    return lines
      .map((line, offset) => ({ text: line.trim(), offset }))
      .filter((unit) => unit.text !== "");
  }
  const text = lines.map((line) => line.trim()).join(" ");
  const leadIn = text.match(/^[^.!?]*:\s+(?=[A-Z])/);
  if (leadIn) {
    return text
      .slice(leadIn[0].length)
      .split(/(?<=[.!?])\s+(?=[A-Z])/)
      .map((sentence) => ({ text: sentence.trim(), offset: 0 }))
      .filter((unit) => unit.text !== "");
  }
  return [{ text, offset: 0 }];
}

function plain(text: string): string {
  return text.replace(/[`*_]/g, "");
}
