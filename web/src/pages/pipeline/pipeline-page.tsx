import { Button, Group, Modal, NumberInput, Select, Text, TextInput } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconLayoutKanban, IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router-dom";
import { useCurrentUser } from "../../auth/session";
import { Page } from "../../components/page";
import { useAccountList } from "../../customers/api";
import { KeyBadge } from "../../customers/badges";
import {
  formatMoney,
  STAGE_LABELS,
  type TStage,
  useCreateOpportunity,
  useMoveOpportunity,
  usePipeline,
} from "../../health/api";
import classes from "../../health/health.module.css";

const STAGES: TStage[] = ["qualify", "propose", "negotiate", "won", "lost"];

/** The opportunity pipeline: a column per stage; each card moves with a select (nothing drag-only). */
export function PipelinePage() {
  const user = useCurrentUser();
  const board = usePipeline();
  const move = useMoveOpportunity();
  const [opened, modal] = useDisclosure(false);
  const maySell = user.role === "admin" || user.role === "manager" || user.role === "sales";
  return (
    <Page
      title="Pipeline"
      icon={IconLayoutKanban}
      actions={
        maySell ? (
          <Button size="sm" leftSection={<IconPlus size={16} aria-hidden />} onClick={modal.open}>
            New opportunity
          </Button>
        ) : null
      }
    >
      {!board.data ? (
        <Text c="dimmed">{board.error?.message ?? "Loading…"}</Text>
      ) : (
        <div className={classes.board} data-testid="pipeline-board">
          {board.data.stages.map((col) => (
            <section key={col.stage} className={classes.column} aria-labelledby={`stage-${col.stage}`}>
              <h2 id={`stage-${col.stage}`}>
                {STAGE_LABELS[col.stage]} · {col.count} · {formatMoney(col.amount)}
              </h2>
              {col.items.map((o) => (
                <article key={o.id} className={classes.opp} aria-label={o.name}>
                  <Text size="sm" fw={600}>
                    {o.name}
                  </Text>
                  <Group gap={4}>
                    <Link to={`/accounts/${o.accountId}?tab=brief`}>{o.accountName}</Link>
                    {o.keyAccount ? <KeyBadge /> : null}
                  </Group>
                  <Text size="xs" c="dimmed">
                    {formatMoney(o.amount)}
                    {o.closeDate ? ` · closes ${o.closeDate}` : ""}
                  </Text>
                  {maySell ? (
                    <Select
                      size="xs"
                      mt={4}
                      aria-label={`Stage of ${o.name}`}
                      value={o.stage}
                      data={STAGES.map((s) => ({ value: s, label: STAGE_LABELS[s]! }))}
                      onChange={(v) => v && v !== o.stage && move.mutate({ id: o.id, stage: v as TStage })}
                      allowDeselect={false}
                    />
                  ) : null}
                </article>
              ))}
            </section>
          ))}
        </div>
      )}
      <NewOpportunity opened={opened} onClose={modal.close} />
    </Page>
  );
}

function NewOpportunity({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [q, setQ] = useState("");
  const accounts = useAccountList({ q, tier: null, ownerId: null, sort: "name" });
  const create = useCreateOpportunity();
  const [accountId, setAccountId] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [amount, setAmount] = useState<number>(0);
  const [closeDate, setCloseDate] = useState("");
  const options = (accounts.data?.pages ?? [])
    .flatMap((p) => p.items)
    .map((a) => ({ value: a.id, label: a.name }));
  return (
    <Modal opened={opened} onClose={onClose} title="New opportunity">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!accountId) return;
          create.mutate(
            { accountId, name, amount, ...(closeDate ? { closeDate } : {}) },
            {
              onSuccess: () => {
                notifications.show({ message: `Opportunity created: ${name}` });
                onClose();
              },
              onError: (err) => notifications.show({ color: "red", message: err.message }),
            },
          );
        }}
      >
        <Select
          label="Account"
          searchable
          required
          data={options}
          value={accountId}
          onChange={setAccountId}
          onSearchChange={setQ}
          searchValue={q}
        />
        <TextInput
          label="Name"
          required
          mt="sm"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <NumberInput
          label="Amount"
          mt="sm"
          min={0}
          value={amount}
          onChange={(v) => setAmount(Number(v) || 0)}
        />
        <TextInput
          label="Close date"
          type="date"
          mt="sm"
          value={closeDate}
          onChange={(e) => setCloseDate(e.currentTarget.value)}
        />
        <Group mt="md" justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending} disabled={!accountId || !name.trim()}>
            Create
          </Button>
        </Group>
      </form>
    </Modal>
  );
}
