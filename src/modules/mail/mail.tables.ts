import type { ColumnType, Generated } from "kysely";

/** One stored attachment: `content` is base64 when `encoding` is "base64", else the text itself. */
export type StoredAttachment = {
  filename: string;
  contentType: string;
  encoding: "base64" | "utf8";
  content: string;
};

export type MailStatus = "queued" | "sent" | "failed";
export type MailTransport = "smtp" | "dev";

export interface OutboundMailTable {
  id: string;
  to_address: string;
  to_name: string | null;
  from_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  message_id: string;
  in_reply_to: string | null;
  references_header: string | null;
  headers: ColumnType<Record<string, string>, string, string>;
  attachments: ColumnType<StoredAttachment[], string, string>;
  purpose: string;
  case_id: string | null;
  status: Generated<MailStatus>;
  attempts: Generated<number>;
  last_error: string | null;
  transport: MailTransport;
  created_at: Date;
  sent_at: Date | null;
}

declare module "../../platform/db/tables.ts" {
  interface Tables {
    outbound_mail: OutboundMailTable;
  }
}
