/**
 * The server's settings from the environment, checked before anything starts: each problem is
 * one StartupError whose message is the one line printed before exiting.
 */
import { createPrivateKey } from "node:crypto";
import { getPrivateKey } from "@probot/get-private-key";

export class StartupError extends Error {}

/** Probot's log options (pino also takes "silent", which Probot's type leaves out). */
export interface LogSettings {
  logLevel: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
  logFormat: "json" | "pretty";
  logLevelInString: boolean;
  logMessageKey?: string;
  sentryDsn?: string;
}

export interface ServerSettings {
  appId: number;
  privateKey: string;
  secret: string;
  host: string;
  port: number;
  webhookPath: string;
  proxyUrl: string | null;
  baseUrl: string;
  redisUrl: string | null;
  log: LogSettings;
}

/** Without an app id and key (and not in production): Probot's page that registers the app. */
export type StartupMode =
  | { mode: "setup"; proxyUrl: string | null }
  | ({ mode: "app" } & ServerSettings);

type Env = Record<string, string | undefined>;

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

/** Probot's secret when none is set (development only). */
const DEVELOPMENT_SECRET = "development";

export function readServerEnv(env: Env, cwd: string): StartupMode {
  const production = env.NODE_ENV === "production";
  if (production && !env.WEBHOOK_SECRET) {
    throw new StartupError(
      "WEBHOOK_SECRET is not set: it is required when NODE_ENV=production (the app's webhook secret)",
    );
  }
  const appId = readAppId(env.APP_ID);
  const privateKey = readPrivateKey(env, cwd);
  const proxyUrl = env.WEBHOOK_PROXY_URL || null;
  if (appId === null || privateKey === null) {
    if (!production) return { mode: "setup", proxyUrl };
    throw new StartupError(
      appId === null
        ? "APP_ID is not set: it is required when NODE_ENV=production"
        : "PRIVATE_KEY is not set: set PRIVATE_KEY or PRIVATE_KEY_PATH (required when NODE_ENV=production)",
    );
  }
  return {
    mode: "app",
    appId,
    privateKey,
    secret: env.WEBHOOK_SECRET || DEVELOPMENT_SECRET,
    host: env.HOST || "localhost",
    port: readPort(env.PORT),
    webhookPath: env.WEBHOOK_PATH || "/api/github/webhooks",
    proxyUrl,
    baseUrl: env.GHE_HOST
      ? `${env.GHE_PROTOCOL || "https"}://${env.GHE_HOST}/api/v3`
      : "https://api.github.com",
    redisUrl: env.REDIS_URL || null,
    log: readLog(env, production),
  };
}

function readAppId(value: string | undefined): number | null {
  if (!value) return null;
  if (!/^\d+$/.test(value.trim())) {
    throw new StartupError(`APP_ID is not a number: ${JSON.stringify(value)}`);
  }
  return Number(value);
}

function readPort(value: string | undefined): number {
  if (!value) return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new StartupError(`PORT is not a port number (0 to 65535): ${JSON.stringify(value)}`);
  }
  return port;
}

/**
 * The key from PRIVATE_KEY (PEM, one line with \n, or base64), PRIVATE_KEY_PATH, or the one .pem
 * file in the working directory; null when there is none. A key OpenSSL cannot read is refused
 * here rather than at the first webhook.
 */
function readPrivateKey(env: Env, cwd: string): string | null {
  let text: string | null;
  try {
    text = getPrivateKey({ env, cwd });
  } catch (error) {
    const message = error instanceof Error ? error.message : "";
    if (message.includes("does not exists at path")) {
      throw new StartupError(`PRIVATE_KEY_PATH does not exist: ${env.PRIVATE_KEY_PATH}`);
    }
    if (message.includes("More than one file found")) {
      throw new StartupError(`several .pem files in ${cwd}: set PRIVATE_KEY_PATH to the app's key`);
    }
    throw new StartupError(
      "PRIVATE_KEY is not a PEM private key: paste the whole .pem file the app's settings gave you, BEGIN and END lines included",
    );
  }
  if (text === null) return null;
  const source = env.PRIVATE_KEY ? "PRIVATE_KEY" : "the private key file";
  let type: string | undefined;
  try {
    type = createPrivateKey(text).asymmetricKeyType;
  } catch {
    throw new StartupError(
      `${source} is malformed: its PEM body cannot be read; download a new key from the app's settings`,
    );
  }
  if (type !== "rsa") {
    throw new StartupError(`${source} is a ${type} key: GitHub apps sign with an RSA key`);
  }
  return text;
}

function readLog(env: Env, production: boolean): LogSettings {
  const level = env.LOG_LEVEL ?? "info";
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw new StartupError(
      `LOG_LEVEL is not one of ${LEVELS.join(", ")}: ${JSON.stringify(level)}`,
    );
  }
  const format = env.LOG_FORMAT || (production ? "json" : "pretty");
  return {
    logLevel: level as LogSettings["logLevel"],
    logFormat: format === "pretty" ? "pretty" : "json",
    logLevelInString: env.LOG_LEVEL_IN_STRING === "true",
    logMessageKey: env.LOG_MESSAGE_KEY || undefined,
    sentryDsn: env.SENTRY_DSN || undefined,
  };
}
