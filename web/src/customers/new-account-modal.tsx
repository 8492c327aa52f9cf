import { useState } from "react";
import { formErrorsFrom } from "../api/form-errors";
import { useCurrentUser } from "../auth/session";
import { useAnnounce } from "../components/live-region";
import {
  ACCOUNT_FIELDS,
  ACCOUNT_HINTS,
  createAccountBody,
  emptyAccountDraft,
  type TAccountDraft,
  type TAccountField,
} from "./account-draft";
import { AccountFields } from "./account-fields";
import { type TAccount, useCreateAccount } from "./api";
import { FormModal } from "./form-modal";

/** "New account": the fields that matter on day one. Closing keeps the draft; Cancel drops it. */
export function NewAccountModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (account: TAccount) => void;
}) {
  const user = useCurrentUser();
  const fresh = (): TAccountDraft => ({ ...emptyAccountDraft(), ownerId: user.id });
  const [draft, setDraft] = useState<TAccountDraft>(fresh);
  const [errors, setErrors] = useState<Partial<Record<TAccountField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [errorTick, setErrorTick] = useState(0);
  const create = useCreateAccount();
  const announce = useAnnounce();

  function change<F extends TAccountField>(field: F, value: TAccountDraft[F]) {
    setDraft((current) => ({ ...current, [field]: value }));
    if (errors[field]) setErrors(({ [field]: _, ...rest }) => rest as typeof errors);
  }

  function reset() {
    setDraft(fresh());
    setErrors({});
    setFormError(null);
    create.reset();
  }

  function submit() {
    if (!draft.name.trim()) {
      setErrors({ name: "Enter the account's name." });
      setFormError(null);
      setErrorTick((tick) => tick + 1);
      return;
    }
    create.mutate(createAccountBody(draft), {
      onSuccess: (account) => {
        announce(`Account created: ${account.name}`);
        reset();
        onCreated(account);
      },
      onError: (error) => {
        const result = formErrorsFrom(error, ACCOUNT_FIELDS, { hints: ACCOUNT_HINTS });
        setErrors(result.fields);
        setFormError(result.form);
        setErrorTick((tick) => tick + 1);
      },
    });
  }

  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      onCancel={() => {
        reset();
        onClose();
      }}
      title="New account"
      submitLabel="Create account"
      submitting={create.isPending}
      formError={formError}
      errorTick={errorTick}
      onSubmit={submit}
    >
      <AccountFields draft={draft} errors={errors} onChange={change} autoFocusName />
    </FormModal>
  );
}
