/** The comments the app leaves on incident issues. Pure. */
import { incidentMarker } from "../plan/marker.js";
import { TEMPLATE_URL } from "./check.js";
import { cell, plainText } from "./text.js";

function mentions(logins: string[]): string {
  return logins.length > 0 ? `${logins.map((login) => `@${login}`).join(" ")} ` : "";
}

/** Its post-mortem is due: who should write it, from what, and where it goes. */
export function renderPostmortemDue(input: {
  number: number;
  people: string[];
  closedAt: string;
  dueHours: number;
  paths: string[];
}): string {
  const where = input.paths
    .slice(0, 4)
    .map((glob) => `\`${glob}\``)
    .join(", ");
  return [
    `${mentions(input.people)}this incident closed on ${input.closedAt.slice(0, 10)} and its post-mortem was due ${input.dueHours} hours later; none refers to it yet.`,
    "",
    `Write it from the [post-mortem template](${TEMPLATE_URL}) and add it to this repository where post-mortems go (${where}), referring to this issue: #${input.number}, or \`incident: ${input.number}\` in its front matter. Its follow-up actions then become tracked issues.`,
    "",
    "If this incident needs no post-mortem, add the label `no-postmortem`.",
    "",
    incidentMarker({ event: "due" }),
  ].join("\n");
}

/** A post-mortem referring to the incident was merged: where its actions are tracked. */
export function renderIncidentLinked(input: {
  tracking: number;
  title: string;
  docUrl: string;
}): string {
  return [
    `The post-mortem of this incident, [${cell(plainText(input.title))}](${input.docUrl}), is merged: its follow-up actions are tracked in #${input.tracking}.`,
    "",
    incidentMarker({ event: "linked", tracking: input.tracking }),
  ].join("\n");
}

/** Every action of that post-mortem is closed. */
export function renderIncidentComplete(input: {
  tracking: number;
  title: string;
  docUrl: string;
}): string {
  return [
    `Every follow-up action of the post-mortem [${cell(plainText(input.title))}](${input.docUrl}) is closed (#${input.tracking}): the follow-through of this incident is complete.`,
    "",
    incidentMarker({ event: "complete", tracking: input.tracking }),
  ].join("\n");
}
