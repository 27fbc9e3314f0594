/**
 * The process's logger: Probot's format (pretty in development, JSON in production), made here
 * without a name so Probot's `probot` and the server's `server` children each name their lines once.
 */
import { getTransformStream } from "@probot/pino";
import { type Logger, pino } from "pino";
import type { LogSettings } from "./env.js";

export async function createLog(settings: LogSettings): Promise<Logger> {
  const transform = await getTransformStream({
    logFormat: settings.logFormat,
    logLevelInString: settings.logLevelInString,
    sentryDsn: settings.sentryDsn,
  });
  // SonicBoom writes like a stream; its type does not say so.
  transform.pipe(pino.destination(1) as unknown as NodeJS.WritableStream);
  return pino({ level: settings.logLevel, messageKey: settings.logMessageKey ?? "msg" }, transform);
}
