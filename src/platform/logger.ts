import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * Paths never written to logs. Fastify logs requests and errors; these keep passwords,
 * tokens and cookies out of them wherever they appear.
 */
export const REDACT_PATHS = [
  "req.headers.cookie",
  "req.headers.authorization",
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  "headers.cookie",
  "headers.authorization",
  "password",
  "*.password",
  "token",
  "*.token",
  "csrfToken",
  "*.csrfToken",
  "passwordHash",
  "*.passwordHash",
  "body.password",
];

export function createLogger(level = "info", destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: { pid: process.pid },
    },
    destination,
  );
}
