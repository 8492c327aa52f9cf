import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";
import type { Logger } from "../../platform/logger.ts";
import { type InboundMailService, MAX_INBOUND_BYTES } from "./inbound.service.ts";

export type SmtpListener = {
  host: string;
  port: number;
  close(): Promise<void>;
};

/** At most this many recipients per message (RFC 5321 asks servers to accept at least 100). */
const MAX_RECIPIENTS = 100;

const smtpError = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

/**
 * The inbound SMTP listener (KEEPDESK_SMTP_LISTEN). It accepts mail for any recipient — a
 * production install puts it behind its MX (or forwards the support addresses to it) — and
 * answers `250` only once the raw message is stored, so a message is either ours or still the
 * sender's to retry (`451` when storing fails). Bigger than `maxBytes` is a `552`. No AUTH and no
 * STARTTLS: terminate TLS in the MTA in front of it, or keep it on a private network.
 */
export async function startSmtpListener(
  inbound: InboundMailService,
  options: { listen: string; log: Logger; hostname: string; maxBytes?: number },
): Promise<SmtpListener> {
  const maxBytes = options.maxBytes ?? MAX_INBOUND_BYTES;
  const at = options.listen.lastIndexOf(":");
  const host = options.listen.slice(0, at) || "127.0.0.1";
  const port = Number(options.listen.slice(at + 1));
  const log = options.log;
  const server = new SMTPServer({
    name: options.hostname,
    banner: "Keepdesk",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: maxBytes,
    logger: false,
    disableReverseLookup: true,
    maxClients: 200,
    socketTimeout: 120_000,
    closeTimeout: 10_000,
    onRcptTo(_address, session, callback) {
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS)
        return callback(smtpError(452, "Too many recipients for one message"));
      return callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooBig = false;
      stream.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          // Keep reading (the client is still sending) but keep nothing.
          tooBig = true;
          chunks.length = 0;
          return;
        }
        chunks.push(chunk);
      });
      stream.on("error", (err) => {
        log.warn({ err }, "SMTP data stream failed");
        callback(smtpError(451, "Temporary failure reading the message; try again later"));
      });
      stream.on("end", () => {
        if (tooBig || stream.sizeExceeded) {
          log.info({ size, from: envelopeFrom(session) }, "inbound mail refused: too large");
          return callback(
            smtpError(
              552,
              `Message too large: at most ${Math.floor(maxBytes / 1024 / 1024)} MB are accepted`,
            ),
          );
        }
        const raw = Buffer.concat(chunks);
        inbound
          .receive(raw, {
            mailFrom: envelopeFrom(session),
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            remoteAddress: session.remoteAddress,
          })
          .then(
            (id) => callback(null, `Queued as ${id}`),
            (err: unknown) => {
              log.error({ err }, "storing inbound mail failed");
              callback(smtpError(451, "Temporary failure storing the message; try again later"));
            },
          );
      });
    },
  });
  server.on("error", (err) => log.warn({ err }, "SMTP listener error"));
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(port, host, () => {
      server.server.off("error", reject);
      resolve();
    });
  });
  const address = server.server.address() as AddressInfo;
  log.info({ host: address.address, port: address.port }, "SMTP listener started");
  return {
    host: address.address,
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function envelopeFrom(session: SMTPServerSession): string | null {
  const from = session.envelope.mailFrom;
  return from === false ? null : from.address;
}
