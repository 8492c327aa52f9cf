import { ActionIcon, Avatar, Button, Group, Menu, Skeleton, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconAlertCircle, IconDots, IconPencil, IconTrash, IconUserOff } from "@tabler/icons-react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { ApiError } from "../../api/problem";
import { canAdminister, useCurrentUser } from "../../auth/session";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { Page, PageMessage } from "../../components/page";
import {
  type TContact,
  useAccount,
  useAccountContacts,
  useContact,
  useDeleteContact,
} from "../../customers/api";
import { HealthChip, KeyBadge, LiveIndicator } from "../../customers/badges";
import { ContactFormModal } from "../../customers/contact-form-modal";
import { Crumbs } from "../../customers/crumbs";
import { useIsDeleted } from "../../customers/deleted";
import { Fact, Facts } from "../../customers/facts";
import { formatDateTimeAsDate, formatRelative, languageName } from "../../customers/format";
import { accountsListHref } from "../../customers/list-memory";
import { LocalTime } from "../../customers/local-time";
import { ContactCommunicationPreferences } from "../announcements/contact-preferences";
import { CustomerCases } from "../cases/customer-cases";
import classes from "./contact-page.module.css";

export function ContactPage() {
  const { id = "" } = useParams();
  const deleted = useIsDeleted("contact", id);
  const contact = useContact(id, { enabled: !deleted });

  if (!deleted && contact.data && !(contact.error instanceof ApiError && contact.error.status === 404)) {
    return <ContactScreen contact={contact.data} />;
  }
  const crumbs = <Crumbs trail={[{ label: "Customers", to: accountsListHref() }]} />;
  if (!deleted && contact.isPending) {
    return (
      <Page title="Loading contact…" above={crumbs}>
        <Stack gap="sm" aria-busy>
          <Skeleton height={14} width="35%" radius="sm" />
          <Skeleton height={10} width="60%" radius="sm" />
        </Stack>
      </Page>
    );
  }
  const status = contact.error instanceof ApiError ? contact.error.status : 0;
  const gone = deleted || status === 404 || status === 400;
  return (
    <Page title={gone ? "Contact not found" : "Contact unavailable"} above={crumbs}>
      <PageMessage
        icon={gone ? IconUserOff : IconAlertCircle}
        title={
          gone
            ? deleted || contact.data
              ? "This contact was deleted"
              : "There's no contact here"
            : "The contact couldn't be loaded"
        }
        action={
          gone ? (
            <Button component={Link} to={accountsListHref()} variant="light" mt="xs">
              Back to customers
            </Button>
          ) : (
            <Button variant="light" mt="xs" onClick={() => contact.refetch()}>
              Try again
            </Button>
          )
        }
      >
        {gone
          ? "It may have been deleted, or the link is out of date."
          : (contact.error?.message ?? "Something went wrong.")}
      </PageMessage>
    </Page>
  );
}

function ContactScreen({ contact }: { contact: TContact }) {
  const user = useCurrentUser();
  const account = useAccount(contact.accountId);
  const peers = useAccountContacts(contact.accountId);
  const navigate = useNavigate();
  const [editing, editModal] = useDisclosure(false);
  const [confirming, confirm] = useDisclosure(false);
  const remove = useDeleteContact(contact);
  const mayDelete = canAdminister(user.role);
  const accountName = account.data?.name ?? "Account";
  const timeZone = contact.timeZone ?? account.data?.timeZone ?? null;
  const others = (peers.data?.pages.flatMap((page) => page.items) ?? []).filter(
    (peer) => peer.id !== contact.id,
  );

  function onDelete() {
    remove.mutate(undefined, {
      onSuccess: () => {
        notifications.show({ color: "gray", title: "Contact deleted", message: contact.name });
        confirm.close();
        navigate(`/accounts/${contact.accountId}`, {
          replace: true,
          state: { announce: `Contact deleted: ${contact.name}` },
        });
      },
    });
  }

  return (
    <Page
      title={contact.name}
      above={
        <Crumbs
          trail={[
            { label: "Customers", to: accountsListHref() },
            { label: accountName, to: `/accounts/${contact.accountId}` },
          ]}
        />
      }
      titleAside={
        contact.title ? (
          <Text c="dimmed" size="sm" truncate>
            {contact.title}
          </Text>
        ) : null
      }
      actions={
        <Group gap="sm" wrap="nowrap">
          <LiveIndicator />
          <Button
            variant="default"
            size="sm"
            leftSection={<IconPencil size={15} stroke={1.8} aria-hidden />}
            onClick={editModal.open}
          >
            Edit
          </Button>
          {mayDelete ? (
            <Menu position="bottom-end" shadow="md" radius="md" width={200}>
              <Menu.Target>
                <ActionIcon variant="default" size={36} aria-label="More actions for this contact">
                  <IconDots size={18} stroke={1.8} aria-hidden />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item
                  color="red"
                  leftSection={<IconTrash size={16} stroke={1.7} aria-hidden />}
                  onClick={confirm.open}
                >
                  Delete contact…
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          ) : null}
        </Group>
      }
      below={
        <Facts testId="contact-facts">
          <Fact label="Email">
            <a href={`mailto:${contact.email}`}>{contact.email}</a>
          </Fact>
          <Fact label="Phone">
            {contact.phone ? (
              <a href={`tel:${contact.phone.replace(/[^\d+]/g, "")}`}>{contact.phone}</a>
            ) : (
              "—"
            )}
          </Fact>
          <Fact label="Their time">{timeZone ? <LocalTime timeZone={timeZone} /> : "—"}</Fact>
          <Fact label="Language">{languageName(contact.language)}</Fact>
        </Facts>
      }
      flush
    >
      <div className={classes.layout}>
        <div className={classes.main}>
          <section aria-labelledby="contact-cases">
            <h2 id="contact-cases" className={classes.sectionTitle}>
              Cases
            </h2>
            <CustomerCases accountId={contact.accountId} contactId={contact.id} who={contact.name} />
          </section>
          <section aria-labelledby="contact-peers">
            <h2 id="contact-peers" className={classes.sectionTitle}>
              Others at {accountName}
            </h2>
            {peers.isPending ? (
              <Skeleton height={44} radius="md" />
            ) : others.length === 0 ? (
              <Text size="sm" c="dimmed">
                {contact.name} is the only contact at {accountName} so far.
              </Text>
            ) : (
              <ul className={classes.peers}>
                {others.slice(0, 8).map((peer) => (
                  <li key={peer.id} className={classes.peer}>
                    <Avatar
                      name={peer.name}
                      size={26}
                      radius="xl"
                      classNames={{ placeholder: classes.avatar }}
                    />
                    <Link to={`/contacts/${peer.id}`} className={classes.peerName}>
                      {peer.name}
                    </Link>
                    <Text size="sm" c="dimmed" truncate>
                      {peer.title ?? peer.email}
                    </Text>
                  </li>
                ))}
              </ul>
            )}
            {others.length > 8 || peers.hasNextPage ? (
              <Button
                component={Link}
                to={`/accounts/${contact.accountId}`}
                variant="subtle"
                size="compact-sm"
                mt={8}
              >
                All contacts at {accountName}
              </Button>
            ) : null}
          </section>
        </div>
        <aside className={classes.aside} aria-label="Profile">
          <section aria-labelledby="contact-account">
            <h2 id="contact-account" className={classes.sectionTitle}>
              Account
            </h2>
            <Link to={`/accounts/${contact.accountId}`} className={classes.accountCard}>
              <span className={classes.accountName}>
                {account.data?.name ?? <Skeleton height={12} width={120} />}
                {account.data?.tier === "key" ? <KeyBadge /> : null}
              </span>
              {account.data ? (
                <Group gap={8}>
                  <HealthChip health={account.data.health} />
                  {account.data.domain ? (
                    <Text size="xs" c="dimmed">
                      {account.data.domain}
                    </Text>
                  ) : null}
                </Group>
              ) : null}
            </Link>
          </section>
          <section aria-labelledby="contact-profile">
            <h2 id="contact-profile" className={classes.sectionTitle}>
              Details
            </h2>
            <dl className={classes.profile}>
              <dt>Job title</dt>
              <dd>{contact.title ?? "—"}</dd>
              <dt>Time zone</dt>
              <dd>
                {timeZone ? timeZone.replaceAll("_", " ") : "—"}
                {contact.timeZone ? null : (
                  <Text component="span" c="dimmed" fz="inherit">
                    {" "}
                    (the account's)
                  </Text>
                )}
              </dd>
              <dt>Language</dt>
              <dd>
                {languageName(contact.language)}{" "}
                <Text component="span" c="dimmed" fz="inherit">
                  ({contact.language})
                </Text>
              </dd>
              <dt>Added</dt>
              <dd title={new Date(contact.createdAt).toLocaleString()}>
                {formatDateTimeAsDate(contact.createdAt)}
              </dd>
              <dt>Last change</dt>
              <dd title={new Date(contact.updatedAt).toLocaleString()}>
                {formatRelative(contact.updatedAt)}
              </dd>
            </dl>
          </section>
          <ContactCommunicationPreferences contactId={contact.id} headingClassName={classes.sectionTitle} />
        </aside>
      </div>

      <ContactFormModal
        opened={editing}
        onClose={editModal.close}
        accountId={contact.accountId}
        accountTimeZone={account.data?.timeZone}
        contact={contact}
      />
      {mayDelete ? (
        <ConfirmDialog
          opened={confirming}
          onClose={confirm.close}
          onConfirm={onDelete}
          title={`Delete ${contact.name}?`}
          confirmLabel="Delete contact"
          busy={remove.isPending}
          error={remove.error ? remove.error.message : null}
        >
          {contact.name} ({contact.email}) will be removed from {accountName} for everyone. This can't be
          undone.
        </ConfirmDialog>
      ) : null}
    </Page>
  );
}
