import { Anchor, Button, Group, Loader, Stack, Tabs, Text, Tooltip } from "@mantine/core";
import { IconArrowRight, IconBuilding, IconExternalLink, IconUser } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import { CaseActivities } from "../../activities/case-activities";
import { CaseEscalation } from "../../components/case-escalation";
import { CaseFeedback } from "../../components/case-feedback";
import type { TAccount, TContact } from "../../customers/api";
import { HealthChip, KeyBadge } from "../../customers/badges";
import { describeZoneDifference, formatLocalTime, languageName } from "../../customers/format";
import { CaseRoutingSection } from "../../routing/case-routing";
import { CaseEntitlementSection, CaseSlaSection, LogTime } from "../../sla/case-sla";
import { type TCase, useAccountCases, useCase, useCaseChildren, useCaseHistory } from "./api";
import { channelLabel, formatDateTime, relativeTime, StatusIcon } from "./case-format";
import classes from "./case-screen.module.css";
import { actorName, describeEntry, type THistoryContext } from "./history-format";
import { Picker, type TPickerOption } from "./picker";
import { useNow } from "./use-now";

export type TPanelTab = "properties" | "customer" | "history";

/** The right-hand context: the case's properties, who the customer is, and what changed. */
export function CasePanel({
  item,
  account,
  contact,
  ctx,
  tab,
  onTab,
  queueOptions,
  onQueue,
}: {
  item: TCase;
  account: TAccount | undefined;
  contact: TContact | undefined;
  ctx: THistoryContext;
  tab: TPanelTab;
  onTab: (tab: TPanelTab) => void;
  queueOptions: TPickerOption[];
  onQueue: (queueId: string | null) => void;
}) {
  return (
    <Tabs
      value={tab}
      onChange={(value) => onTab((value as TPanelTab) ?? "properties")}
      className={classes.panelTabs}
      keepMounted={false}
    >
      <Tabs.List grow className={classes.panelTabList}>
        <Tabs.Tab value="properties">Properties</Tabs.Tab>
        <Tabs.Tab value="customer">Customer</Tabs.Tab>
        <Tabs.Tab value="history">History</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="properties" className={classes.panelBody}>
        <Properties item={item} ctx={ctx} queueOptions={queueOptions} onQueue={onQueue} />
      </Tabs.Panel>
      <Tabs.Panel value="customer" className={classes.panelBody}>
        <CustomerSummary item={item} account={account} contact={contact} ctx={ctx} />
      </Tabs.Panel>
      <Tabs.Panel value="history" className={classes.panelBody}>
        <History item={item} ctx={ctx} />
      </Tabs.Panel>
    </Tabs>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function None() {
  return (
    <Text span c="dimmed" size="sm">
      —
    </Text>
  );
}

function CaseLink({ id }: { id: string }) {
  const linked = useCase(id);
  return (
    <Anchor component={Link} to={`/cases/${id}`} size="sm" className={classes.caseLink}>
      {linked.data ? (
        <>
          <StatusIcon status={linked.data.status} size={13} />
          <span className={classes.caseLinkNumber}>{linked.data.number}</span>
          <span className={classes.caseLinkSubject}>{linked.data.subject}</span>
        </>
      ) : (
        "Open case"
      )}
    </Anchor>
  );
}

function Properties({
  item,
  ctx,
  queueOptions,
  onQueue,
}: {
  item: TCase;
  ctx: THistoryContext;
  queueOptions: TPickerOption[];
  onQueue: (queueId: string | null) => void;
}) {
  const children = useCaseChildren(item.id);
  const team = item.teamId ? ctx.teams.get(item.teamId) : undefined;
  return (
    <Stack gap="md">
      <CaseSlaSection item={item} />
      <CaseEscalation caseId={item.id} resolved={item.statusCategory === "resolved"} />
      <CaseActivities caseId={item.id} />
      <CaseFeedback caseId={item.id} subject={item.subject} />
      <dl className={classes.props}>
        <Row label="Channel">{channelLabel[item.channel]}</Row>
        <Row label="Product">{item.product ?? <None />}</Row>
        <Row label="Category">{item.category ?? <None />}</Row>
        <Row label="Queue">
          {queueOptions.length > 0 ? (
            <Picker
              label="Queue"
              value={item.queueId ?? "__none"}
              options={[{ value: "__none", label: "No queue" }, ...queueOptions]}
              onChange={(value) => onQueue(value === "__none" ? null : value)}
            />
          ) : (
            <Tooltip label="Admins create queues in Admin">
              <span>
                <None />
              </span>
            </Tooltip>
          )}
        </Row>
        <Row label="Team">{team?.name ?? <None />}</Row>
        <Row label="Received">
          <time dateTime={item.receivedAt} title={relativeTime(item.receivedAt)}>
            {formatDateTime(item.receivedAt)}
          </time>
        </Row>
        <Row label="Created">
          <time dateTime={item.createdAt}>{formatDateTime(item.createdAt)}</time>
        </Row>
        <Row label="Updated">
          <time dateTime={item.updatedAt}>{formatDateTime(item.updatedAt)}</time>
        </Row>
        {item.resolvedAt ? (
          <Row label="Resolved">
            <time dateTime={item.resolvedAt}>{formatDateTime(item.resolvedAt)}</time>
          </Row>
        ) : null}
        {item.reopenCount > 0 ? <Row label="Reopened">{`${item.reopenCount}×`}</Row> : null}
      </dl>
      <CaseEntitlementSection item={item} />
      <CaseRoutingSection item={item} />
      <LogTime caseId={item.id} />
      <div>
        <div className={classes.panelHeading}>Related cases</div>
        <Stack gap={4}>
          {item.parentId ? (
            <div>
              <Text size="xs" c="dimmed">
                Parent
              </Text>
              <CaseLink id={item.parentId} />
            </div>
          ) : null}
          {item.relatedCaseId ? (
            <div>
              <Text size="xs" c="dimmed">
                Follow-up of
              </Text>
              <CaseLink id={item.relatedCaseId} />
            </div>
          ) : null}
          {item.mergedIntoId ? (
            <div>
              <Text size="xs" c="dimmed">
                Merged into
              </Text>
              <CaseLink id={item.mergedIntoId} />
            </div>
          ) : null}
          {(children.data?.items.length ?? 0) > 0 ? (
            <div>
              <Text size="xs" c="dimmed">
                Children ({children.data?.items.length}
                {children.data?.nextCursor ? "+" : ""})
              </Text>
              {children.data?.items.map((child) => (
                <Anchor
                  key={child.id}
                  component={Link}
                  to={`/cases/${child.id}`}
                  size="sm"
                  className={classes.caseLink}
                >
                  <StatusIcon status={child.status} size={13} />
                  <span className={classes.caseLinkNumber}>{child.number}</span>
                  <span className={classes.caseLinkSubject}>{child.subject}</span>
                </Anchor>
              ))}
            </div>
          ) : null}
          {!item.parentId && !item.relatedCaseId && !item.mergedIntoId && !children.data?.items.length ? (
            <Text size="sm" c="dimmed">
              {children.isPending ? "…" : "No parent, children or follow-ups."}
            </Text>
          ) : null}
        </Stack>
      </div>
    </Stack>
  );
}

function CustomerSummary({
  item,
  account,
  contact,
  ctx,
}: {
  item: TCase;
  account: TAccount | undefined;
  contact: TContact | undefined;
  ctx: THistoryContext;
}) {
  const now = useNow();
  const recent = useAccountCases(item.accountId);
  const zone = contact?.timeZone ?? account?.timeZone ?? null;
  const others = (recent.data?.items ?? []).filter((other) => other.id !== item.id).slice(0, 5);
  const accountOwner = account?.ownerId ? ctx.users.get(account.ownerId) : undefined;
  return (
    <Stack gap="lg">
      <section aria-labelledby="panel-contact">
        <div className={classes.panelHeading} id="panel-contact">
          <IconUser size={13} aria-hidden /> Contact
        </div>
        {!item.contactId ? (
          <Text size="sm" c="dimmed">
            No contact on this case.
          </Text>
        ) : !contact ? (
          <Loader size="xs" aria-label="Loading contact" />
        ) : (
          <Stack gap={4}>
            <Anchor component={Link} to={`/contacts/${contact.id}`} fw={600} size="sm">
              {contact.name}
            </Anchor>
            {contact.title ? (
              <Text size="sm" c="dimmed">
                {contact.title}
              </Text>
            ) : null}
            <Anchor href={`mailto:${contact.email}`} size="sm">
              {contact.email}
            </Anchor>
            {contact.phone ? (
              <Anchor href={`tel:${contact.phone}`} size="sm">
                {contact.phone}
              </Anchor>
            ) : null}
            <dl className={classes.props}>
              {zone ? (
                <Row label="Local time">
                  <span data-now={now}>
                    {formatLocalTime(zone) ?? zone}
                    <Text span size="xs" c="dimmed">
                      {" "}
                      · {describeZoneDifference(zone) ?? zone}
                    </Text>
                  </span>
                </Row>
              ) : null}
              <Row label="Language">{languageName(contact.language)}</Row>
            </dl>
          </Stack>
        )}
      </section>
      <section aria-labelledby="panel-account">
        <div className={classes.panelHeading} id="panel-account">
          <IconBuilding size={13} aria-hidden /> Account
        </div>
        {!item.accountId ? (
          <Text size="sm" c="dimmed">
            No account on this case.
          </Text>
        ) : !account ? (
          <Loader size="xs" aria-label="Loading account" />
        ) : (
          <Stack gap={6}>
            <Group gap={8} wrap="nowrap">
              <Anchor component={Link} to={`/accounts/${account.id}`} fw={600} size="sm">
                {account.name}
              </Anchor>
              {account.tier === "key" ? <KeyBadge /> : null}
            </Group>
            <Group gap={6}>
              <HealthChip health={account.health} />
            </Group>
            <dl className={classes.props}>
              {account.domain ? <Row label="Domain">{account.domain}</Row> : null}
              <Row label="Owner">{accountOwner?.name ?? <None />}</Row>
              <Row label="Time zone">{account.timeZone}</Row>
            </dl>
          </Stack>
        )}
      </section>
      {item.accountId ? (
        <section aria-labelledby="panel-recent">
          <div className={classes.panelHeading} id="panel-recent">
            Recent cases of this account
          </div>
          {recent.isPending ? (
            <Loader size="xs" aria-label="Loading recent cases" />
          ) : others.length === 0 ? (
            <Text size="sm" c="dimmed">
              No other cases.
            </Text>
          ) : (
            <Stack gap={2}>
              {others.map((other) => (
                <Anchor
                  key={other.id}
                  component={Link}
                  to={`/cases/${other.id}`}
                  size="sm"
                  className={classes.caseLink}
                >
                  <StatusIcon status={other.status} size={13} />
                  <span className={classes.caseLinkNumber}>{other.number}</span>
                  <span className={classes.caseLinkSubject}>{other.subject}</span>
                </Anchor>
              ))}
              {account ? (
                <Anchor component={Link} to={`/accounts/${account.id}`} size="xs" mt={4}>
                  All of {account.name}’s cases <IconExternalLink size={11} aria-hidden />
                </Anchor>
              ) : null}
            </Stack>
          )}
        </section>
      ) : null}
    </Stack>
  );
}

function History({ item, ctx }: { item: TCase; ctx: THistoryContext }) {
  const history = useCaseHistory(item.id);
  const entries = history.data?.pages.flatMap((page) => page.items) ?? [];
  if (history.isPending) return <Loader size="xs" aria-label="Loading history" />;
  if (history.isError) {
    return (
      <Text size="sm" role="alert">
        History could not be loaded: {history.error.message}
      </Text>
    );
  }
  return (
    <div>
      <ol className={classes.history} aria-label="Changes, oldest first" data-testid="case-history">
        {entries.map((entry) => {
          const described = describeEntry(entry, ctx);
          return (
            <li key={entry.id} className={classes.historyEntry}>
              <div className={classes.historyLine}>
                <strong>{actorName(entry, ctx)}</strong> {described.verb}
              </div>
              {described.to !== undefined ? (
                <div className={classes.historyChange}>
                  <span className={classes.historyFrom}>{described.from}</span>
                  <IconArrowRight size={12} aria-label="to" />
                  <span className={classes.historyTo}>{described.to}</span>
                </div>
              ) : null}
              <Tooltip label={formatDateTime(entry.at)}>
                <time className={classes.historyTime} dateTime={entry.at}>
                  {relativeTime(entry.at)}
                </time>
              </Tooltip>
            </li>
          );
        })}
      </ol>
      {history.hasNextPage ? (
        <Button
          variant="default"
          size="xs"
          fullWidth
          mt="sm"
          onClick={() => void history.fetchNextPage()}
          loading={history.isFetchingNextPage}
        >
          Show more
        </Button>
      ) : (
        <Text size="xs" c="dimmed" mt="sm">
          {entries.length} {entries.length === 1 ? "change" : "changes"}, oldest first
        </Text>
      )}
    </div>
  );
}
