import { Badge, Loader, Text } from "@mantine/core";
import classes from "./announcements.module.css";
import { statusColor, statusLabel, type TAnnouncementStatus, type TMailPreview } from "./api";

export function AnnouncementStatusBadge({ status }: { status: TAnnouncementStatus }) {
  return (
    <Badge variant="light" color={statusColor[status]} data-testid="announcement-status">
      {statusLabel[status]}
    </Badge>
  );
}

/** The mail as a recipient reads it: envelope lines, then the HTML in a sandboxed frame. */
export function MailPreview({
  preview,
  loading,
  to,
}: {
  preview: TMailPreview | undefined;
  loading: boolean;
  to: string;
}) {
  return (
    <section className={classes.previewCard} aria-labelledby="mail-preview-title" data-testid="mail-preview">
      <div className={classes.previewHead}>
        <Text id="mail-preview-title" fw={650} size="sm" mb={6}>
          Preview {loading ? <Loader size={12} ml={6} aria-label="Updating the preview" /> : null}
        </Text>
        <dl>
          <dt>To</dt>
          <dd>{to}</dd>
          <dt>Subject</dt>
          <dd data-testid="preview-subject">{preview?.subject.trim() || "—"}</dd>
        </dl>
      </div>
      <div
        className={classes.previewFrame}
        aria-label="The mail as a contact will read it"
        role="document"
        // The server's rendering: every piece of the author's text in it is escaped there.
        // biome-ignore lint/security/noDangerouslySetInnerHtml: our own escaped mail HTML, shown as sent
        dangerouslySetInnerHTML={{ __html: preview?.html ?? "" }}
      />
    </section>
  );
}
