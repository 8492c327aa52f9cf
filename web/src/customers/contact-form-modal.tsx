import { Select, SimpleGrid, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useEffect, useMemo, useState } from "react";
import { formErrorsFrom } from "../api/form-errors";
import { useAnnounce } from "../components/live-region";
import { type TContact, type TContactPatch, useCreateContact, useUpdateContact } from "./api";
import { FormModal } from "./form-modal";
import { languageOptions, timeZoneOptions } from "./options";

const CONTACT_FIELDS = ["name", "email", "phone", "title", "timeZone", "language"] as const;
type TContactField = (typeof CONTACT_FIELDS)[number];

type TContactDraft = {
  name: string;
  email: string;
  phone: string;
  title: string;
  timeZone: string | null;
  language: string | null;
};

const CONTACT_HINTS: Partial<Record<TContactField, string>> = {
  name: "Enter a name of at most 200 characters.",
  email: "Enter an email address like jane@acme.com.",
  phone: "Use digits with an optional +, spaces, (), - or / and an extension (x123).",
  title: "Use at most 200 characters.",
  timeZone: "Choose a time zone from the list.",
  language: "Choose a language from the list.",
};

function draftFrom(contact?: TContact): TContactDraft {
  return {
    name: contact?.name ?? "",
    email: contact?.email ?? "",
    phone: contact?.phone ?? "",
    title: contact?.title ?? "",
    timeZone: contact?.timeZone ?? null,
    language: contact?.language ?? "en",
  };
}

function patchFrom(contact: TContact, draft: TContactDraft): TContactPatch {
  const patch: TContactPatch = {};
  if (draft.name.trim() !== contact.name) patch.name = draft.name.trim();
  if (draft.email.trim() !== contact.email) patch.email = draft.email.trim();
  if ((draft.phone.trim() || null) !== contact.phone) patch.phone = draft.phone.trim() || null;
  if ((draft.title.trim() || null) !== contact.title) patch.title = draft.title.trim() || null;
  if (draft.timeZone !== contact.timeZone) patch.timeZone = draft.timeZone;
  if (draft.language && draft.language !== contact.language) patch.language = draft.language;
  return patch;
}

/**
 * Add a contact to an account, or edit one (`contact` given). The time zone is optional: left
 * empty, the account's applies (shown as the placeholder).
 */
export function ContactFormModal({
  opened,
  onClose,
  accountId,
  accountTimeZone,
  contact,
  onSaved,
}: {
  opened: boolean;
  onClose: () => void;
  accountId: string;
  accountTimeZone?: string;
  contact?: TContact;
  onSaved?: (contact: TContact) => void;
}) {
  const [draft, setDraft] = useState<TContactDraft>(() => draftFrom(contact));
  const [errors, setErrors] = useState<Partial<Record<TContactField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [errorTick, setErrorTick] = useState(0);
  const create = useCreateContact();
  const update = useUpdateContact(contact?.id ?? "");
  const announce = useAnnounce();
  const zones = useMemo(() => timeZoneOptions(draft.timeZone), [draft.timeZone]);
  const languages = useMemo(() => languageOptions(draft.language), [draft.language]);

  // Editing starts from what the contact is now (it may have changed live since the last open);
  // only on opening: later live changes must not overwrite what is being typed.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on opening only, see above.
  useEffect(() => {
    if (opened && contact) {
      setDraft(draftFrom(contact));
      setErrors({});
      setFormError(null);
    }
  }, [opened]);

  function change<F extends TContactField>(field: F, value: TContactDraft[F]) {
    setDraft((current) => ({ ...current, [field]: value }));
    if (errors[field]) setErrors(({ [field]: _, ...rest }) => rest as typeof errors);
  }

  function fail(error: unknown) {
    const result = formErrorsFrom(error, CONTACT_FIELDS, { hints: CONTACT_HINTS, conflictField: "email" });
    setErrors(result.fields);
    setFormError(result.form);
    setErrorTick((tick) => tick + 1);
  }

  function submit() {
    const missing: Partial<Record<TContactField, string>> = {};
    if (!draft.name.trim()) missing.name = "Enter the contact's name.";
    if (!draft.email.trim()) missing.email = "Enter the contact's email address.";
    if (missing.name || missing.email) {
      setErrors(missing);
      setFormError(null);
      setErrorTick((tick) => tick + 1);
      return;
    }
    if (contact) {
      const patch = patchFrom(contact, draft);
      if (Object.keys(patch).length === 0) {
        onClose();
        return;
      }
      update.mutate(patch, {
        onSuccess: (saved) => {
          announce(`Contact saved: ${saved.name}`);
          onSaved?.(saved);
          onClose();
        },
        onError: fail,
      });
      return;
    }
    create.mutate(
      {
        accountId,
        name: draft.name.trim(),
        email: draft.email.trim(),
        ...(draft.phone.trim() ? { phone: draft.phone.trim() } : {}),
        ...(draft.title.trim() ? { title: draft.title.trim() } : {}),
        ...(draft.timeZone ? { timeZone: draft.timeZone } : {}),
        ...(draft.language ? { language: draft.language } : {}),
      },
      {
        onSuccess: (saved) => {
          announce(`Contact added: ${saved.name}`);
          notifications.show({
            color: "green",
            title: "Contact added",
            message: `${saved.name} <${saved.email}>`,
          });
          setDraft(draftFrom());
          setErrors({});
          setFormError(null);
          onSaved?.(saved);
          onClose();
        },
        onError: fail,
      },
    );
  }

  return (
    <FormModal
      opened={opened}
      onClose={onClose}
      title={contact ? `Edit ${contact.name}` : "Add contact"}
      submitLabel={contact ? "Save contact" : "Add contact"}
      submitting={create.isPending || update.isPending}
      formError={formError}
      errorTick={errorTick}
      onSubmit={submit}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
        <TextInput
          label="Name"
          name="name"
          required
          withAsterisk
          data-autofocus
          autoComplete="off"
          value={draft.name}
          onChange={(event) => change("name", event.currentTarget.value)}
          error={errors.name}
          maxLength={200}
        />
        <TextInput
          label="Email"
          name="email"
          type="email"
          required
          withAsterisk
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="none"
          value={draft.email}
          onChange={(event) => change("email", event.currentTarget.value)}
          error={errors.email}
        />
        <TextInput
          label="Phone"
          name="phone"
          type="tel"
          placeholder="+44 20 7946 0958"
          autoComplete="off"
          value={draft.phone}
          onChange={(event) => change("phone", event.currentTarget.value)}
          error={errors.phone}
        />
        <TextInput
          label="Job title"
          name="title"
          placeholder="e.g. Head of Operations"
          autoComplete="off"
          value={draft.title}
          onChange={(event) => change("title", event.currentTarget.value)}
          error={errors.title}
          maxLength={200}
        />
        <Select
          label="Time zone"
          name="timeZone"
          placeholder={accountTimeZone ? `The account's (${accountTimeZone})` : "The account's"}
          data={zones}
          searchable
          clearable
          limit={80}
          nothingFoundMessage="No time zone by that name"
          value={draft.timeZone}
          onChange={(value) => change("timeZone", value)}
          error={errors.timeZone}
        />
        <Select
          label="Language"
          name="language"
          data={languages}
          searchable
          allowDeselect={false}
          nothingFoundMessage="No language by that name"
          value={draft.language}
          onChange={(value) => change("language", value)}
          error={errors.language}
        />
      </SimpleGrid>
    </FormModal>
  );
}
