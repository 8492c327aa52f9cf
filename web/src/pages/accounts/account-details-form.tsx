import { Alert, Button, Group, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertCircle, IconCheck, IconUsersGroup } from "@tabler/icons-react";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { formErrorsFrom } from "../../api/form-errors";
import { useAnnounce } from "../../components/live-region";
import {
  ACCOUNT_FIELDS,
  ACCOUNT_HINTS,
  accountPatchBody,
  draftFromAccount,
  type TAccountDraft,
  type TAccountField,
} from "../../customers/account-draft";
import { AccountFields } from "../../customers/account-fields";
import { type TAccount, useUpdateAccount } from "../../customers/api";

const FIELD_LABELS: Record<TAccountField, string> = {
  name: "Name",
  domain: "Domain",
  annualRevenue: "Annual revenue",
  ownerId: "Owner",
  industry: "Industry",
  country: "Country",
  timeZone: "Time zone",
  customerSince: "Customer since",
};

function same(a: unknown, b: unknown): boolean {
  const norm = (value: unknown) => (typeof value === "string" ? value.trim().toLowerCase() : value);
  return norm(a) === norm(b);
}

/**
 * The account's fields as a form. Saving sends only what changed. Changes that arrive live
 * while someone is editing merge in field by field; only a field changed on both sides is
 * flagged, and the editor's value is kept until they choose.
 */
export function AccountDetailsForm({
  account,
  focusRequest = 0,
}: {
  account: TAccount;
  focusRequest?: number;
}) {
  const [baseline, setBaseline] = useState(account);
  const [draft, setDraft] = useState<TAccountDraft>(() => draftFromAccount(account));
  const [errors, setErrors] = useState<Partial<Record<TAccountField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [clashes, setClashes] = useState<TAccountField[]>([]);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const update = useUpdateAccount(account.id);
  const announce = useAnnounce();
  const formRef = useRef<HTMLFormElement>(null);

  const patch = accountPatchBody(baseline, draft);
  const dirty = Object.keys(patch).length > 0;

  // A newer version of the account (saved by us, or by someone else): merge it in. Runs when
  // the account changes; the draft and baseline it reads are the ones on screen at that moment.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above.
  useEffect(() => {
    if (account.updatedAt === baseline.updatedAt) return;
    const mine = accountPatchBody(baseline, draft) as Record<string, unknown>;
    const theirs = accountPatchBody(baseline, draftFromAccount(account)) as Record<string, unknown>;
    const clashing = Object.keys(mine).filter(
      (field) => field in theirs && !same(mine[field], theirs[field]),
    ) as TAccountField[];
    const merged = draftFromAccount(account);
    for (const field of Object.keys(mine) as TAccountField[]) {
      if (!(field in theirs) || clashing.includes(field)) {
        (merged as Record<string, unknown>)[field] = draft[field];
      }
    }
    setBaseline(account);
    setDraft(merged);
    if (clashing.length > 0) setClashes((current) => [...new Set([...current, ...clashing])]);
  }, [account]);

  useEffect(() => {
    if (focusRequest > 0) formRef.current?.querySelector<HTMLElement>("[name='name']")?.focus();
  }, [focusRequest]);

  useEffect(() => {
    if (savedAt === null) return;
    const timer = window.setTimeout(() => setSavedAt(null), 4000);
    return () => window.clearTimeout(timer);
  }, [savedAt]);

  function change<F extends TAccountField>(field: F, value: TAccountDraft[F]) {
    setDraft((current) => ({ ...current, [field]: value }));
    setSavedAt(null);
    if (errors[field]) setErrors(({ [field]: _, ...rest }) => rest as typeof errors);
  }

  function discard() {
    setDraft(draftFromAccount(account));
    setBaseline(account);
    setErrors({});
    setFormError(null);
    setClashes([]);
  }

  function takeTheirs() {
    setDraft((current) => {
      const theirs = draftFromAccount(account);
      const next = { ...current };
      for (const field of clashes) (next as Record<string, unknown>)[field] = theirs[field];
      return next;
    });
    setClashes([]);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!dirty || update.isPending) return;
    if (!draft.name.trim()) {
      setErrors({ name: "Enter the account's name." });
      formRef.current?.querySelector<HTMLElement>("[name='name']")?.focus();
      return;
    }
    const tierBefore = account.tier;
    update.mutate(patch, {
      onSuccess: (saved) => {
        setErrors({});
        setFormError(null);
        setClashes([]);
        setBaseline(saved);
        setDraft(draftFromAccount(saved));
        setSavedAt(Date.now());
        const tierNote =
          saved.tier !== tierBefore
            ? saved.tier === "key"
              ? ` ${saved.name} is now a key account.`
              : ` ${saved.name} is now on the standard tier.`
            : "";
        announce(`Account saved.${tierNote}`);
        if (tierNote) notifications.show({ color: "keep", title: "Tier changed", message: tierNote.trim() });
      },
      onError: (error) => {
        const result = formErrorsFrom(error, ACCOUNT_FIELDS, { hints: ACCOUNT_HINTS });
        setErrors(result.fields);
        setFormError(result.form);
        window.setTimeout(() => {
          formRef.current?.querySelector<HTMLElement>("[aria-invalid='true'], [role='alert']")?.focus();
        }, 0);
      },
    });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label="Account details" style={{ maxWidth: 720 }}>
      {clashes.length > 0 ? (
        <Alert
          color="yellow"
          variant="light"
          mb="md"
          role="status"
          // Mantine's yellow text is below 4.5:1 on its own background; a deep amber is 7:1.
          styles={{
            root: { background: "#fdf3e1" },
            title: { color: "#8a4d00" },
            icon: { color: "#8a4d00" },
          }}
          icon={<IconUsersGroup size={18} aria-hidden />}
          title="Someone else changed this account while you were editing"
        >
          <Text size="sm">
            {clashes.map((field) => FIELD_LABELS[field]).join(", ")} changed on their side too. Your version
            is still in the form; saving will replace theirs.
          </Text>
          <Button variant="default" size="compact-sm" mt={8} onClick={takeTheirs}>
            Use their version
          </Button>
        </Alert>
      ) : null}
      {formError ? (
        <Alert
          color="red"
          variant="light"
          mb="md"
          role="alert"
          tabIndex={-1}
          icon={<IconAlertCircle size={18} aria-hidden />}
        >
          {formError}
        </Alert>
      ) : null}
      <AccountFields
        draft={draft}
        errors={errors}
        onChange={change}
        withCustomerSince
        currentOwnerId={account.ownerId}
      />
      <Group gap="sm" mt="lg">
        <Button type="submit" disabled={!dirty} loading={update.isPending}>
          Save changes
        </Button>
        <Button variant="default" onClick={discard} disabled={!dirty || update.isPending}>
          Discard
        </Button>
        {savedAt ? (
          <Group gap={6} c="green.8" fz="sm" role="status">
            <IconCheck size={16} aria-hidden /> Saved
          </Group>
        ) : dirty ? (
          <Text size="sm" c="dimmed">
            Unsaved changes
          </Text>
        ) : null}
      </Group>
    </form>
  );
}
