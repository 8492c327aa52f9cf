import { Skeleton, Switch, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { formatDateTime } from "../cases/case-format";
import { type TPreferences, useContactPreferences, useSetContactPreferences } from "./api";

const SOURCE: Record<NonNullable<TPreferences["source"]>, string> = {
  link: "by the link in an announcement",
  staff: "by staff",
  portal: "in the portal",
};

/** On the contact page: whether the contact receives announcements, who changed it and when. */
export function ContactCommunicationPreferences({
  contactId,
  headingClassName,
}: {
  contactId: string;
  headingClassName?: string;
}) {
  const prefs = useContactPreferences(contactId);
  const set = useSetContactPreferences(contactId);
  const p = prefs.data;
  const last = p?.history[0];
  return (
    <section aria-labelledby="contact-communication" data-testid="contact-communication">
      <h2 id="contact-communication" className={headingClassName}>
        Communication
      </h2>
      {prefs.isPending ? (
        <Skeleton height={24} radius="sm" />
      ) : prefs.isError || !p ? (
        <Text size="sm" role="alert">
          Preferences could not be loaded.
        </Text>
      ) : (
        <>
          <Switch
            label="Receives announcements"
            description="News of services sent to segments. Case replies and status mails always go."
            checked={p.announcements}
            disabled={set.isPending}
            onChange={(e) =>
              set.mutate(e.currentTarget.checked, {
                onError: (err) => notifications.show({ color: "red", message: err.message }),
              })
            }
            data-testid="announcements-switch"
          />
          <Text size="xs" c="dimmed" mt={6} data-testid="announcements-state">
            {last
              ? `${last.announcements ? "Resubscribed" : "Opted out"} ${SOURCE[last.source]}${
                  last.changedByName ? ` (${last.changedByName})` : ""
                } · ${formatDateTime(last.changedAt)}`
              : "Never opted out"}
          </Text>
        </>
      )}
    </section>
  );
}
