/**
 * The shapes of the app's hidden markers. A marker is input: people can edit an issue's body. One
 * that does not match its shape counts as absent — never a crash, never a half-read value.
 */
import { z } from "zod";

const logins = z.array(z.string());

export const syncedFieldsSchema = z.object({
  title: z.string(),
  body: z.string(),
  assignees: logins,
  milestone: z.string().nullable(),
  labels: z.array(z.string()),
  done: z.boolean(),
});

export const actionMarkerSchema = z.object({
  doc: z.string(),
  path: z.string(),
  key: z.string(),
  index: z.number().int().nonnegative(),
  due: z.string().nullable().default(null),
  tracking: z.number().int().positive().nullable().default(null),
  synced: syncedFieldsSchema,
  removedIn: z.string().optional(),
});

/** One action of a stored tracking view (see tracking-codec): a tuple, trailing parts optional. */
const entrySchema = z
  .tuple([
    z.string(),
    z.number().int().nonnegative(),
    z.string(),
    z.number(),
    z.number(),
    logins,
    z.string(),
    z.number().int().nonnegative(),
  ])
  .rest(z.union([z.string(), logins, z.literal(0)]));

/** The older form: one object per action. */
const legacyActionSchema = z.object({
  key: z.string(),
  keyHash: z.string().optional(),
  text: z.string(),
  owners: logins,
  due: z.string().nullable(),
  done: z.boolean(),
  link: z.string().nullable(),
  generated: z.boolean(),
  line: z.number(),
  unlisted: z.boolean().optional(),
  gone: z.enum(["deleted", "transferred"]).optional(),
  issue: z
    .object({
      number: z.number().int().positive(),
      state: z.enum(["open", "closed"]),
      stateReason: z.string().nullable(),
      assignees: logins,
      createdAt: z.string(),
      closedAt: z.string().nullable(),
    })
    .nullable(),
});

const issueNumber = z.number().int().positive();
const count = z.number().int().nonnegative();
const counts = z.object({ done: count, notPlanned: count, open: count });

export const storedViewSchema = z.object({
  title: z.string(),
  path: z.string(),
  docUrl: z.string(),
  date: z.string().nullable(),
  summary: z.string().nullable(),
  rootCause: z.string().nullable(),
  rootCauseState: z.enum(["present", "missing", "tbd"]),
  authors: logins,
  findings: z.array(
    z.object({
      level: z.enum(["error", "warning", "notice"]),
      message: z.string(),
      line: z.number().nullable(),
    }),
  ),
  deletedIn: z.string().optional(),
  incidents: z.array(z.number().int().positive()).optional(),
  references: z.array(z.number().int().positive()).optional(),
  movedTo: z.string().optional(),
  omitted: z.number().int().nonnegative().optional(),
  omittedCounts: counts.optional(),
  omittedWithoutIssue: counts.optional(),
  a: z.array(entrySchema).optional(),
  actions: z.array(legacyActionSchema).optional(),
});

export const trackingMarkerSchema = z.object({
  doc: z.string(),
  path: z.string(),
  view: storedViewSchema,
  closedByApp: z.boolean().optional(),
  reopenedOnce: z.boolean().optional(),
  heldOpen: z.boolean().optional(),
  deleted: z.boolean().optional(),
  labels: z.object({ tracking: z.string(), action: z.string() }).optional(),
  blob: z
    .string()
    .regex(/^[0-9a-f]{40,64}$/)
    .optional(),
  writeBack: z
    .string()
    .regex(/^[0-9a-f]{40,64}$/)
    .optional(),
  subIssues: z
    .union([
      z.literal("unavailable"),
      z.object({ linked: z.array(issueNumber), elsewhere: z.array(issueNumber).optional() }),
    ])
    .optional(),
});

export const writeBackMarkerSchema = z.object({
  doc: z.string(),
  blob: z.string().regex(/^[0-9a-f]{40,64}$/),
  commit: z
    .string()
    .regex(/^[0-9a-f]{40,64}$/)
    .optional(),
});

export const incidentMarkerSchema = z.object({
  event: z.enum(["due", "linked", "complete"]),
  tracking: z.number().int().positive().optional(),
});

export const reviewMarkerSchema = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  ran: z.string().nullable().default(null),
  reviewers: logins.nullable().default(null),
});
