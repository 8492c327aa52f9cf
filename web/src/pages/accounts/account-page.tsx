import { ActionIcon, Button, Group, Menu, Skeleton, Stack, Tabs } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconAlertCircle, IconBuildingOff, IconDots, IconPencil, IconTrash } from "@tabler/icons-react";
import { useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { ApiError } from "../../api/problem";
import { canAdminister, useCurrentUser } from "../../auth/session";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { Page, PageMessage } from "../../components/page";
import {
  type TAccount,
  useAccount,
  useAccountContacts,
  useDeleteAccount,
  useStaffUsers,
} from "../../customers/api";
import { HealthChip, LiveIndicator, TierBadge } from "../../customers/badges";
import { Crumbs } from "../../customers/crumbs";
import { useIsDeleted } from "../../customers/deleted";
import { Fact, Facts } from "../../customers/facts";
import {
  countryName,
  domainUrl,
  formatDate,
  formatDateTimeAsDate,
  formatRelative,
  formatRevenue,
  formatRevenueExact,
} from "../../customers/format";
import { accountsListHref } from "../../customers/list-memory";
import { LocalTime } from "../../customers/local-time";
import { AccountBrief } from "../../health/account-brief";
import { AccountHealthPanel } from "../../health/account-health-panel";
import { AccountEntitlements } from "../../sla/entitlement-list";
import { CustomerCases } from "../cases/customer-cases";
import { AccountContacts } from "./account-contacts";
import { AccountDetailsForm } from "./account-details-form";
import classes from "./account-page.module.css";
import { AccountTimeline } from "./account-timeline";

const TABS = ["contacts", "cases", "brief", "timeline", "details"] as const;
type TTab = (typeof TABS)[number];

export function AccountPage() {
  const { id = "" } = useParams();
  const deleted = useIsDeleted("account", id);
  const account = useAccount(id, { enabled: !deleted });

  if (!deleted && account.data && !(account.error instanceof ApiError && account.error.status === 404)) {
    return <AccountScreen account={account.data} />;
  }
  if (!deleted && account.isPending) return <AccountSkeleton />;
  const status = account.error instanceof ApiError ? account.error.status : 0;
  const gone = deleted || status === 404 || status === 400;
  return (
    <Page title={gone ? "Account not found" : "Account unavailable"} above={listCrumbs()}>
      <PageMessage
        icon={gone ? IconBuildingOff : IconAlertCircle}
        title={
          gone
            ? deleted || account.data
              ? "This account was deleted"
              : "There's no account here"
            : "The account couldn't be loaded"
        }
        action={
          gone ? (
            <Button component={Link} to={accountsListHref()} variant="light" mt="xs">
              Back to customers
            </Button>
          ) : (
            <Button variant="light" mt="xs" onClick={() => account.refetch()}>
              Try again
            </Button>
          )
        }
      >
        {gone
          ? "It may have been deleted, or the link is out of date. Its contacts went with it."
          : (account.error?.message ?? "Something went wrong.")}
      </PageMessage>
    </Page>
  );
}

function listCrumbs() {
  return <Crumbs trail={[{ label: "Customers", to: accountsListHref() }]} />;
}

function AccountSkeleton() {
  return (
    <Page title="Loading account…" above={listCrumbs()}>
      <Stack gap="sm" aria-busy>
        <Skeleton height={14} width="40%" radius="sm" />
        <Skeleton height={10} width="70%" radius="sm" />
        <Skeleton height={10} width="55%" radius="sm" />
      </Stack>
    </Page>
  );
}

function AccountScreen({ account }: { account: TAccount }) {
  const user = useCurrentUser();
  const staff = useStaffUsers();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tabParam = params.get("tab");
  const tab: TTab = TABS.includes(tabParam as TTab) ? (tabParam as TTab) : "contacts";
  const contacts = useAccountContacts(account.id);
  const contactCount = contacts.data?.pages.reduce((sum, page) => sum + page.items.length, 0);
  const [confirming, confirm] = useDisclosure(false);
  // "Edit" goes straight into the form's first field.
  const [editRequest, setEditRequest] = useState(0);
  const remove = useDeleteAccount(account.id);
  const owner = account.ownerId ? staff.byId.get(account.ownerId) : undefined;
  const mayDelete = canAdminister(user.role);

  function setTab(next: string | null) {
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        if (!next || next === "contacts") updated.delete("tab");
        else updated.set("tab", next);
        return updated;
      },
      { replace: true },
    );
  }

  function onDelete() {
    remove.mutate(undefined, {
      onSuccess: () => {
        notifications.show({
          color: "gray",
          title: "Account deleted",
          message: `${account.name} and its contacts`,
        });
        confirm.close();
        // Said on arrival, before the name of the page the user lands on.
        navigate(accountsListHref(), {
          replace: true,
          state: { announce: `Account deleted: ${account.name}` },
        });
      },
    });
  }

  const ownerName = owner ? owner.name : account.ownerId ? "…" : "No owner";

  return (
    <Page
      title={account.name}
      above={listCrumbs()}
      titleAside={
        <Group gap={8} wrap="nowrap">
          <TierBadge tier={account.tier} />
          <HealthChip health={account.health} />
        </Group>
      }
      actions={
        <Group gap="sm" wrap="nowrap">
          <LiveIndicator />
          <Button
            variant="default"
            size="sm"
            leftSection={<IconPencil size={15} stroke={1.8} aria-hidden />}
            onClick={() => {
              setTab("details");
              setEditRequest((request) => request + 1);
            }}
          >
            Edit
          </Button>
          {mayDelete ? (
            <Menu position="bottom-end" shadow="md" radius="md" width={200}>
              <Menu.Target>
                <ActionIcon variant="default" size={36} aria-label="More actions for this account">
                  <IconDots size={18} stroke={1.8} aria-hidden />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item
                  color="red"
                  leftSection={<IconTrash size={16} stroke={1.7} aria-hidden />}
                  onClick={confirm.open}
                >
                  Delete account…
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          ) : null}
        </Group>
      }
      below={
        <Facts testId="account-facts">
          <Fact label="Owner">{ownerName}</Fact>
          <Fact label="Annual revenue">
            <span data-testid="account-revenue">{formatRevenue(account.annualRevenue)}</span>
          </Fact>
          <Fact label="Domain">
            {account.domain ? (
              <a href={domainUrl(account.domain)} target="_blank" rel="noreferrer noopener">
                {account.domain}
              </a>
            ) : (
              "—"
            )}
          </Fact>
          <Fact label="Customer since">
            {account.customerSince ? formatDate(account.customerSince) : "—"}
          </Fact>
          <Fact label="Their time">
            <LocalTime timeZone={account.timeZone} />
          </Fact>
        </Facts>
      }
      flush
    >
      <div className={classes.layout}>
        <div className={classes.main}>
          <Tabs value={tab} onChange={setTab} className={classes.tabs} keepMounted={false}>
            <Tabs.List className={classes.tabList}>
              <Tabs.Tab value="contacts">
                Contacts
                {contactCount !== undefined ? ` (${contactCount}${contacts.hasNextPage ? "+" : ""})` : ""}
              </Tabs.Tab>
              <Tabs.Tab value="cases">Cases</Tabs.Tab>
              <Tabs.Tab value="brief">Brief</Tabs.Tab>
              <Tabs.Tab value="timeline">Timeline</Tabs.Tab>
              <Tabs.Tab value="details">Details</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="contacts" className={classes.panel}>
              <AccountContacts account={account} />
            </Tabs.Panel>
            <Tabs.Panel value="cases" className={classes.panel}>
              <CustomerCases accountId={account.id} who={account.name} />
            </Tabs.Panel>
            <Tabs.Panel value="brief" className={classes.panel}>
              <AccountBrief accountId={account.id} />
            </Tabs.Panel>
            <Tabs.Panel value="timeline" className={classes.panel}>
              <AccountTimeline accountId={account.id} />
            </Tabs.Panel>
            <Tabs.Panel value="details" className={classes.panel}>
              <AccountDetailsForm account={account} focusRequest={editRequest} />
            </Tabs.Panel>
          </Tabs>
        </div>
        <aside className={classes.aside} aria-label="About this account">
          <AccountHealthPanel accountId={account.id} titleClassName={classes.panelTitle} />
          <AccountEntitlements accountId={account.id} headingClassName={classes.panelTitle} />
          <section aria-labelledby="about-title">
            <h2 id="about-title" className={classes.panelTitle}>
              About
            </h2>
            <dl className={classes.list}>
              <dt>Tier</dt>
              <dd>{account.tier === "key" ? "Key (top 80% of revenue)" : "Standard"}</dd>
              <dt>Revenue</dt>
              <dd>{formatRevenueExact(account.annualRevenue)}</dd>
              <dt>Industry</dt>
              <dd>{account.industry ?? "—"}</dd>
              <dt>Country</dt>
              <dd>{account.country ? countryName(account.country) : "—"}</dd>
              <dt>Time zone</dt>
              <dd>{account.timeZone.replaceAll("_", " ")}</dd>
              <dt>Added</dt>
              <dd title={new Date(account.createdAt).toLocaleString()}>
                {formatDateTimeAsDate(account.createdAt)}
              </dd>
              <dt>Last change</dt>
              <dd title={new Date(account.updatedAt).toLocaleString()}>
                {formatRelative(account.updatedAt)}
              </dd>
            </dl>
          </section>
        </aside>
      </div>

      {mayDelete ? (
        <ConfirmDialog
          opened={confirming}
          onClose={confirm.close}
          onConfirm={onDelete}
          title={`Delete ${account.name}?`}
          confirmLabel="Delete account"
          busy={remove.isPending}
          error={remove.error ? remove.error.message : null}
        >
          The account and{" "}
          {contactCount === undefined
            ? "its contacts"
            : contactCount === 1
              ? "its 1 contact"
              : `its ${contactCount}${contacts.hasNextPage ? "+" : ""} contacts`}{" "}
          will be deleted for everyone. This can't be undone.
        </ConfirmDialog>
      ) : null}
    </Page>
  );
}
