import {
  Badge,
  Button,
  Drawer,
  Group,
  Loader,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import { Route, Routes, useLocation, useNavigate, useSearchParams } from "react-router-dom";
import { areaByKey } from "../../app/areas";
import { canAdminister, useCurrentUser } from "../../auth/session";
import { Page } from "../../components/page";
import { formatRevenue } from "../../customers/format";
import {
  FEEDBACK_KINDS,
  FEEDBACK_STATUSES,
  kindColor,
  kindLabel,
  statusLabel,
  type TFeedbackItem,
  type TFeedbackKind,
  type TFeedbackStatus,
  TYPE_LABEL,
  useFeedbackBoard,
  useFeedbackItem,
  useFeedbackMutations,
  useSurveys,
} from "../../surveys/api";
import { NewFeedbackDialog } from "../../surveys/new-feedback-dialog";
import { CouncilPage } from "../councils/council-page";
import { CouncilsPage } from "../councils/councils-page";
import { MeetingPage } from "../councils/meeting-page";
import classes from "./feedback.module.css";

type TSort = "revenue" | "votes" | "newest";

/** Feedback & surveys: the feedback board (columns by status) and the latest survey answers. */
export function FeedbackPage() {
  const area = areaByKey("feedback");
  const location = useLocation();
  const navigate = useNavigate();
  const tab = location.pathname.startsWith("/feedback/surveys")
    ? "surveys"
    : location.pathname.startsWith("/feedback/councils") || location.pathname.startsWith("/feedback/meetings")
      ? "councils"
      : "board";
  const [creating, setCreating] = useState<{ surveyId?: string; body?: string } | null>(null);
  return (
    <Page
      title={area.title ?? area.label}
      icon={area.icon}
      actions={
        <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setCreating({})}>
          New feedback
        </Button>
      }
    >
      <Tabs
        value={tab}
        onChange={(v) => navigate(v === "board" ? "/feedback" : `/feedback/${v}`)}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="board">Board</Tabs.Tab>
          <Tabs.Tab value="surveys">Survey answers</Tabs.Tab>
          <Tabs.Tab value="councils">Customer Council</Tabs.Tab>
        </Tabs.List>
      </Tabs>
      <Routes>
        <Route index element={<FeedbackBoard />} />
        <Route
          path="surveys"
          element={<SurveyAnswers onMakeFeedback={(surveyId, body) => setCreating({ surveyId, body })} />}
        />
        <Route path="councils" element={<CouncilsPage />} />
        <Route path="councils/:id" element={<CouncilPage />} />
        <Route path="meetings/:id" element={<MeetingPage />} />
        <Route path="*" element={<FeedbackBoard />} />
      </Routes>
      {creating ? <NewFeedbackDialog from={creating} onClose={() => setCreating(null)} /> : null}
    </Page>
  );
}

function FeedbackBoard() {
  const [kind, setKind] = useState<string>("all");
  const [sort, setSort] = useState<TSort>("revenue");
  // `?item=<id>` opens one item (the case panel links here).
  const [searchParams] = useSearchParams();
  const [openId, setOpenId] = useState<string | null>(() => searchParams.get("item"));
  const board = useFeedbackBoard(kind === "all" ? null : (kind as TFeedbackKind), sort);
  const { setStatus } = useFeedbackMutations();
  const items = board.data?.items ?? [];

  return (
    <>
      <div className={classes.toolbar}>
        <SegmentedControl
          size="xs"
          aria-label="Kind"
          value={kind}
          onChange={setKind}
          data={[
            { value: "all", label: "All kinds" },
            ...FEEDBACK_KINDS.map((k) => ({ value: k, label: kindLabel[k] })),
          ]}
        />
        <Select
          size="xs"
          label="Sort by"
          value={sort}
          onChange={(v) => setSort((v as TSort) ?? "revenue")}
          data={[
            { value: "revenue", label: "Revenue behind it" },
            { value: "votes", label: "Votes" },
            { value: "newest", label: "Newest" },
          ]}
          allowDeselect={false}
          w={200}
        />
      </div>
      {board.isPending ? (
        <Loader size="sm" aria-label="Loading feedback" />
      ) : board.isError ? (
        <Text role="alert">The board could not be loaded: {board.error.message}</Text>
      ) : (
        <div className={classes.board} data-testid="feedback-board">
          {FEEDBACK_STATUSES.map((status) => {
            const column = items.filter((i) => i.status === status);
            return (
              <section key={status} className={classes.column} aria-labelledby={`col-${status}`}>
                <h2 className={classes.columnTitle} id={`col-${status}`}>
                  <span>{statusLabel[status]}</span>
                  <Text span size="xs" c="dimmed">
                    {column.length}
                  </Text>
                </h2>
                <ul className={classes.list}>
                  {column.map((item) => (
                    <FeedbackCard
                      key={item.id}
                      item={item}
                      onOpen={() => setOpenId(item.id)}
                      onMove={(to) =>
                        setStatus.mutate(
                          { id: item.id, status: to },
                          {
                            onError: (e) => notifications.show({ color: "red", message: e.message }),
                          },
                        )
                      }
                    />
                  ))}
                  {column.length === 0 ? (
                    <Text size="xs" c="dimmed" px={6}>
                      Nothing here
                    </Text>
                  ) : null}
                </ul>
              </section>
            );
          })}
        </div>
      )}
      <FeedbackDrawer id={openId} onClose={() => setOpenId(null)} />
    </>
  );
}

function FeedbackCard({
  item,
  onOpen,
  onMove,
}: {
  item: TFeedbackItem;
  onOpen: () => void;
  onMove: (to: TFeedbackStatus) => void;
}) {
  return (
    <li className={classes.card}>
      <Group justify="space-between" gap={4}>
        <Badge size="xs" variant="light" color={kindColor[item.kind]}>
          {kindLabel[item.kind]}
        </Badge>
        <Text span size="xs" c="dimmed">
          from {item.source}
        </Text>
      </Group>
      <button type="button" className={classes.cardTitle} onClick={onOpen}>
        {item.title}
      </button>
      <div className={classes.meta}>
        {item.accountName ?? "No account"} · {item.votes} {item.votes === 1 ? "vote" : "votes"} ·{" "}
        <span className={classes.revenue}>{formatRevenue(item.revenue)}</span>
      </div>
      <Select
        mt={6}
        size="xs"
        aria-label={`Status of ${item.title}`}
        value={item.status}
        onChange={(v) => v && v !== item.status && onMove(v as TFeedbackStatus)}
        data={FEEDBACK_STATUSES.map((s) => ({ value: s, label: statusLabel[s] }))}
        allowDeselect={false}
      />
    </li>
  );
}

function FeedbackDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const item = useFeedbackItem(id);
  const user = useCurrentUser();
  const { closeLoop } = useFeedbackMutations();
  const [message, setMessage] = useState("");
  const d = item.data;
  return (
    <Drawer opened={id !== null} onClose={onClose} position="right" size="lg" title={d?.title ?? "Feedback"}>
      {item.isPending ? (
        <Loader size="sm" aria-label="Loading" />
      ) : item.isError || !d ? (
        <Text role="alert">The item could not be loaded.</Text>
      ) : (
        <Stack gap="md">
          <Group gap="xs">
            <Badge variant="light" color={kindColor[d.kind]}>
              {kindLabel[d.kind]}
            </Badge>
            <Badge variant="outline">{statusLabel[d.status]}</Badge>
            <Text size="sm" c="dimmed">
              from {d.source}
              {d.caseNumber ? ` · ${d.caseNumber}` : ""}
              {d.contactName ? ` · ${d.contactName}` : ""}
            </Text>
          </Group>
          {d.body ? <Text style={{ whiteSpace: "pre-wrap" }}>{d.body}</Text> : null}
          <div>
            <Text fw={650} mb={4}>
              Asked for by {d.votes} {d.votes === 1 ? "account" : "accounts"} · {formatRevenue(d.revenue)} a
              year
            </Text>
            <Table aria-label="Accounts that voted">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Account</Table.Th>
                  <Table.Th>Contact</Table.Th>
                  <Table.Th style={{ textAlign: "right" }}>Annual revenue</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.votesBy.map((v) => (
                  <Table.Tr key={v.accountId}>
                    <Table.Td>{v.accountName}</Table.Td>
                    <Table.Td>{v.contactName ?? "—"}</Table.Td>
                    <Table.Td style={{ textAlign: "right" }}>{formatRevenue(v.annualRevenue)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
          {d.status === "done" && canAdminister(user.role) ? (
            <Stack gap="xs">
              <Text fw={650}>Close the loop</Text>
              <Text size="sm" c="dimmed">
                Tell every linked contact (who raised it and who voted for it) that it is done, by email.
                Contacts told before are not told again.
              </Text>
              <Textarea
                label="A line to add (optional)"
                value={message}
                onChange={(e) => setMessage(e.currentTarget.value)}
                maxLength={5000}
              />
              <Group>
                <Button
                  loading={closeLoop.isPending}
                  onClick={() =>
                    closeLoop.mutate(
                      { id: d.id, message },
                      {
                        onSuccess: (r) => {
                          notifications.show({
                            color: "teal",
                            message: `Told ${r.told.length} ${r.told.length === 1 ? "contact" : "contacts"}`,
                          });
                          setMessage("");
                          void item.refetch();
                        },
                        onError: (e) => notifications.show({ color: "red", message: e.message }),
                      },
                    )
                  }
                >
                  Tell them it's done
                </Button>
              </Group>
            </Stack>
          ) : null}
          {d.tellings.length > 0 ? (
            <div>
              <Text fw={650} mb={4}>
                Told
              </Text>
              <ul aria-label="Contacts told">
                {d.tellings.map((t) => (
                  <li key={t.id}>
                    <Text size="sm">
                      {t.contactName ?? t.email} ({t.email}) · {new Date(t.toldAt).toLocaleString()}
                    </Text>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </Stack>
      )}
    </Drawer>
  );
}

function SurveyAnswers({ onMakeFeedback }: { onMakeFeedback: (surveyId: string, body: string) => void }) {
  const surveys = useSurveys({});
  if (surveys.isPending) return <Loader size="sm" aria-label="Loading surveys" />;
  if (surveys.isError)
    return <Text role="alert">The surveys could not be loaded: {surveys.error.message}</Text>;
  const items = surveys.data.items;
  if (items.length === 0) return <Text c="dimmed">No survey has been sent yet.</Text>;
  return (
    <Table aria-label="Latest surveys" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Survey</Table.Th>
          <Table.Th>Customer</Table.Th>
          <Table.Th>Case</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th style={{ textAlign: "right" }}>Score</Table.Th>
          <Table.Th>Comment</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((s) => (
          <Table.Tr key={s.id}>
            <Table.Td>{TYPE_LABEL[s.type]}</Table.Td>
            <Table.Td>
              {s.contactName}
              <Text span size="xs" c="dimmed">
                {" "}
                {s.accountName}
              </Text>
            </Table.Td>
            <Table.Td>{s.case?.number ?? "—"}</Table.Td>
            <Table.Td>{s.status === "held_back" ? `held back (${s.heldBackRule})` : s.status}</Table.Td>
            <Table.Td style={{ textAlign: "right" }}>{s.score ?? "—"}</Table.Td>
            <Table.Td maw={320}>{s.comment ?? ""}</Table.Td>
            <Table.Td>
              {s.comment && !s.feedbackItemId ? (
                <Button
                  size="compact-xs"
                  variant="light"
                  onClick={() => onMakeFeedback(s.id, s.comment ?? "")}
                >
                  Make feedback item
                </Button>
              ) : s.feedbackItemId ? (
                <Text size="xs" c="dimmed">
                  On the board
                </Text>
              ) : null}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
