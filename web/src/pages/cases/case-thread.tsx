import { Text, Tooltip } from "@mantine/core";
import { IconArrowRight, IconDownload, IconLock, IconPaperclip, IconPoint } from "@tabler/icons-react";
import type { TContact } from "../../customers/api";
import type { TAttachment, TCase, THistoryEntry, TMessage } from "./api";
import { channelLabel, formatBytes, formatDateTime, formatStamp } from "./case-format";
import classes from "./case-screen.module.css";
import { actorName, describeEntry, type THistoryContext, THREAD_EVENT_FIELDS } from "./history-format";
import { OwnerAvatar } from "./owner-avatar";

type TThreadItem =
  | { type: "description"; at: string; key: string }
  | { type: "message"; at: string; key: string; message: TMessage }
  | { type: "event"; at: string; key: string; entries: THistoryEntry[] };

/**
 * The conversation, oldest first: the customer's first words (the description), replies,
 * internal notes and customer messages, with status, priority and owner changes as quiet
 * lines between them. Colour says the kind, and so does a label: never colour alone.
 */
export function CaseThread({
  item,
  messages,
  history,
  contact,
  ctx,
}: {
  item: TCase;
  messages: readonly TMessage[];
  history: readonly THistoryEntry[];
  contact: TContact | undefined;
  ctx: THistoryContext;
}) {
  const items: TThreadItem[] = [];
  if (item.description?.trim()) items.push({ type: "description", at: item.receivedAt, key: "description" });
  for (const message of messages)
    items.push({ type: "message", at: message.createdAt, key: message.id, message });
  // Changes made together (one save) make one line.
  const events = history.filter((entry) => THREAD_EVENT_FIELDS.has(entry.field));
  for (const entry of events) {
    const last = items[items.length - 1];
    if (last?.type === "event" && last.at === entry.at && last.entries[0]?.actorId === entry.actorId) {
      last.entries.push(entry);
    } else {
      items.push({ type: "event", at: entry.at, key: entry.id, entries: [entry] });
    }
  }
  items.sort((a, b) => a.at.localeCompare(b.at) || order(a) - order(b));

  if (items.length === 0) {
    return (
      <div className={classes.threadEmpty}>
        <Text size="sm" c="dimmed">
          No messages yet. Write the first reply below.
        </Text>
      </div>
    );
  }

  return (
    <ol className={classes.thread} aria-label="Conversation">
      {items.map((entry) => {
        if (entry.type === "description") {
          return (
            <li key={entry.key}>
              <MessageCard
                kind="customer"
                author={contact?.name ?? (item.contactId ? "Customer" : "Original request")}
                at={item.receivedAt}
                body={item.description ?? ""}
                attachments={[]}
                note={`via ${channelLabel[item.channel]}`}
              />
            </li>
          );
        }
        if (entry.type === "message") {
          const message = entry.message;
          const author =
            message.kind === "customer"
              ? (contact?.name ?? "Customer")
              : message.authorId === ctx.meId
                ? "You"
                : message.authorId
                  ? (ctx.users.get(message.authorId)?.name ?? "A teammate")
                  : "Keepdesk";
          return (
            <li key={entry.key} data-message-id={message.id} data-kind={message.kind}>
              <MessageCard
                kind={message.kind}
                author={author}
                avatarName={
                  message.kind === "customer"
                    ? (contact?.name ?? "Customer")
                    : author === "You"
                      ? (ctx.users.get(ctx.meId)?.name ?? "You")
                      : author
                }
                at={message.createdAt}
                body={message.body}
                attachments={message.attachments}
                note={message.mergedFromCaseId ? "merged from another case" : undefined}
              />
            </li>
          );
        }
        return (
          <li key={entry.key} className={classes.event}>
            <IconPoint size={14} aria-hidden className={classes.eventIcon} />
            <Text size="xs" c="dimmed" component="span">
              <strong className={classes.eventActor}>
                {actorName(entry.entries[0] as THistoryEntry, ctx)}
              </strong>{" "}
              {entry.entries.map((change, index) => {
                const described = describeEntry(change, ctx);
                return (
                  <span key={change.id}>
                    {index > 0 ? ", " : ""}
                    {described.verb}
                    {described.to !== undefined ? (
                      <>
                        {" "}
                        <span className={classes.eventValue}>{described.from}</span>
                        <IconArrowRight size={11} aria-label="to" className={classes.eventArrow} />
                        <span className={classes.eventValue}>{described.to}</span>
                      </>
                    ) : null}
                  </span>
                );
              })}{" "}
              ·{" "}
              <time dateTime={entry.at} title={formatDateTime(entry.at)}>
                {formatStamp(entry.at)}
              </time>
            </Text>
          </li>
        );
      })}
    </ol>
  );
}

function order(item: TThreadItem): number {
  return item.type === "description" ? 0 : item.type === "event" ? 2 : 1;
}

const kindLabel = { customer: "Customer", reply: "Reply", note: "Internal" } as const;

function MessageCard({
  kind,
  author,
  avatarName,
  at,
  body,
  attachments,
  note,
}: {
  kind: TMessage["kind"];
  author: string;
  avatarName?: string;
  at: string;
  body: string;
  attachments: readonly TAttachment[];
  note?: string;
}) {
  return (
    <article className={classes.message} data-kind={kind} aria-label={`${kindLabel[kind]} from ${author}`}>
      <header className={classes.messageHeader}>
        <OwnerAvatar name={avatarName ?? author} size={24} />
        <span className={classes.messageAuthor}>{author}</span>
        <span className={classes.kindLabel} data-kind={kind}>
          {kind === "note" ? <IconLock size={11} stroke={2.2} aria-hidden /> : null}
          {kindLabel[kind]}
        </span>
        {note ? (
          <Text span size="xs" c="dimmed">
            {note}
          </Text>
        ) : null}
        <Tooltip label={formatDateTime(at)}>
          <time className={classes.messageTime} dateTime={at}>
            {formatStamp(at)}
          </time>
        </Tooltip>
      </header>
      <div className={classes.messageBody}>{body}</div>
      {attachments.length > 0 ? (
        <ul className={classes.attachments} aria-label="Files">
          {attachments.map((file) => (
            <li key={file.id}>
              <a href={file.url} download={file.filename} className={classes.attachment}>
                <IconPaperclip size={14} aria-hidden />
                <span className={classes.attachmentName}>{file.filename}</span>
                <span className={classes.attachmentSize}>{formatBytes(file.size)}</span>
                {file.internal && kind !== "note" ? (
                  <Tooltip label="Internal: never shown to the customer">
                    <IconLock size={12} aria-label="internal" />
                  </Tooltip>
                ) : null}
                <IconDownload size={14} aria-hidden className={classes.attachmentDownload} />
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}
