/**
 * The Action's logger: a pino logger (the type Probot's `Context` wants) whose lines become
 * workflow commands, so an error logged by a handler shows as an error in the run's page.
 */
import * as core from "@actions/core";
import { type Logger, pino } from "pino";

/** pino's numeric levels: 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
const WARN = 40;
const ERROR = 50;
const INFO = 30;

/** One log line as text: the message, then the error's message and any other fields. */
export function describeLogLine(entry: Record<string, unknown>): string {
  const { level: _level, msg, err, ...fields } = entry;
  const parts = [typeof msg === "string" ? msg : ""];
  if (err && typeof err === "object" && "message" in err) parts.push(String(err.message));
  if (Object.keys(fields).length > 0) parts.push(JSON.stringify(fields));
  return parts.filter((part) => part !== "").join(" ");
}

export function actionLogger(): Logger {
  const destination = {
    write(line: string) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      const level = Number(entry.level);
      const text = describeLogLine(entry);
      if (level >= ERROR) core.error(text);
      else if (level >= WARN) core.warning(text);
      else if (level >= INFO) core.info(text);
      else core.debug(text);
    },
  };
  return pino(
    {
      level: core.isDebug() ? "debug" : "info",
      base: undefined,
      timestamp: false,
    },
    destination,
  );
}
