import { ImapFlow } from "imapflow";
import type { Logger } from "../../platform/logger.ts";
import type { Envelope } from "./inbound.service.ts";

/**
 * IMAP polling: the alternative to the SMTP listener when mail for the support address lands
 * in a mailbox elsewhere (`KEEPDESK_IMAP_URL=imaps://user:pass@host:993/INBOX`). Every poll
 * takes the unseen messages, stores each through `InboundMailService.receive` (its own
 * transaction), and only after it is stored marks it seen — or moves it to `?moveTo=Folder`.
 * A crash between storing and marking re-delivers the message on the next poll, and the
 * inbound processing marks that copy `duplicate` by its Message-ID: nothing is lost or doubled.
 */

export type ImapSettings = {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  mailbox: string;
  /** Move stored messages here instead of only flagging them \Seen. */
  moveTo: string | null;
  pollMs: number;
};

export type Receive = (raw: Buffer, envelope: Envelope) => Promise<string>;

export const DEFAULT_POLL_SECONDS = 60;
const MAX_PER_POLL = 200;

/** Reads `KEEPDESK_IMAP_URL` and `KEEPDESK_IMAP_POLL_SECONDS`; undefined when IMAP is off. */
export function imapSettingsFromEnv(env: NodeJS.ProcessEnv): ImapSettings | undefined {
  const raw = env.KEEPDESK_IMAP_URL?.trim();
  if (!raw) return undefined;
  const seconds = env.KEEPDESK_IMAP_POLL_SECONDS?.trim();
  const poll = seconds ? Number(seconds) : DEFAULT_POLL_SECONDS;
  if (!Number.isInteger(poll) || poll < 5 || poll > 86_400) {
    throw new Error("KEEPDESK_IMAP_POLL_SECONDS must be a whole number of seconds between 5 and 86400");
  }
  return parseImapUrl(raw, poll * 1000);
}

/** `imaps://user:pass@host:993/INBOX?moveTo=Processed` (imap:// is plain on 143; user and password URL-encoded). */
export function parseImapUrl(raw: string, pollMs = DEFAULT_POLL_SECONDS * 1000): ImapSettings {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error("KEEPDESK_IMAP_URL must be a URL like imaps://user:pass@host:993/INBOX");
  }
  if (url.protocol !== "imap:" && url.protocol !== "imaps:") {
    throw new Error("KEEPDESK_IMAP_URL must start with imap:// or imaps://");
  }
  if (!url.username) throw new Error("KEEPDESK_IMAP_URL must name the user: imaps://user:pass@host/INBOX");
  const secure = url.protocol === "imaps:";
  const mailbox = decodeURIComponent(url.pathname.replace(/^\/+/, "")) || "INBOX";
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(url.username),
    pass: decodeURIComponent(url.password),
    mailbox,
    moveTo: url.searchParams.get("moveTo") || null,
    pollMs,
  };
}

/** What a poll did, for the log and the tests. */
export type PollResult = { found: number; stored: number; failed: number };

/** One poll: connect, store every unseen message, mark (or move) each stored one, log out. */
export async function pollOnce(settings: ImapSettings, receive: Receive, log: Logger): Promise<PollResult> {
  const client = new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: { user: settings.user, pass: settings.pass },
    logger: false,
    // A local test server or a relay with its own certificate is the operator's choice to trust.
    tls: { rejectUnauthorized: process.env.KEEPDESK_IMAP_TLS_INSECURE !== "1" },
  });
  client.on("error", (err: Error) => log.warn({ err }, "imap: connection error"));
  const result: PollResult = { found: 0, stored: 0, failed: 0 };
  await client.connect();
  try {
    const lock = await client.getMailboxLock(settings.mailbox);
    try {
      const uids = ((await client.search({ seen: false }, { uid: true })) || []).slice(0, MAX_PER_POLL);
      result.found = uids.length;
      for (const uid of uids) {
        const fetched = await client.fetchOne(String(uid), { source: true, envelope: true }, { uid: true });
        const message = fetched || undefined;
        if (!message?.source) {
          result.failed++;
          continue;
        }
        const rcptTo = (message.envelope?.to ?? [])
          .map((a: { address?: string }) => a.address)
          .filter((a: string | undefined): a is string => typeof a === "string" && a.length > 0);
        try {
          await receive(message.source, {
            mailFrom: message.envelope?.sender?.[0]?.address ?? message.envelope?.from?.[0]?.address ?? null,
            rcptTo: rcptTo.length > 0 ? rcptTo : [settings.user],
            remoteAddress: `imap:${settings.host}`,
          });
        } catch (err) {
          // Not stored: leave it unseen, the next poll tries again.
          result.failed++;
          log.error({ err, uid }, "imap: could not store a message; it stays unseen for the next poll");
          continue;
        }
        // Stored: only now is it taken off the server's unseen list.
        if (settings.moveTo) await client.messageMove(String(uid), settings.moveTo, { uid: true });
        else await client.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true });
        result.stored++;
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return result;
}

/** Polls every `pollMs` (one poll at a time) until stopped. */
export function startImapPoller(
  settings: ImapSettings,
  receive: Receive,
  log: Logger,
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = pollOnce(settings, receive, log)
      .then((r) => {
        if (r.found > 0) log.info(r, "imap: poll done");
      })
      .catch((err: unknown) => log.warn({ err }, "imap: poll failed; trying again at the next interval"))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, settings.pollMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
