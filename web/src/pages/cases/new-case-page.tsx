import {
  Alert,
  Anchor,
  Button,
  Group,
  Input,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconAlertCircle, IconArrowLeft, IconPlus } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { api, unwrap } from "../../api/client";
import { formErrorsFrom } from "../../api/form-errors";
import { Page } from "../../components/page";
import { customerKeys, type TAccount, type TContact } from "../../customers/api";
import { type TChannel, type TPriority, useCreateCase } from "./api";
import { CHANNELS, channelLabel, PRIORITIES, PriorityIcon, priorityLabel } from "./case-format";
import { queuePath } from "./queue-memory";

type TField =
  | "subject"
  | "description"
  | "accountId"
  | "contactId"
  | "priority"
  | "channel"
  | "product"
  | "tags";
const FIELDS: readonly TField[] = [
  "subject",
  "description",
  "accountId",
  "contactId",
  "priority",
  "channel",
  "product",
  "tags",
];

function accountLabel(account: TAccount): string {
  return account.tier === "key" ? `${account.name} · Key` : account.name;
}

function contactLabel(contact: TContact): string {
  return `${contact.name} · ${contact.email}`;
}

/** Searches accounts by name or domain as the agent types. */
function useAccountSearch(q: string) {
  return useQuery({
    queryKey: [...customerKeys.accountLists, "pick", q],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/accounts", {
          params: { query: { q: q || undefined, limit: 20, sort: "name" } },
          signal,
        }),
      ),
    staleTime: 30_000,
  });
}

/** Contacts of the chosen account, or everyone's when no account is chosen yet. */
function useContactSearch(accountId: string | null, q: string) {
  return useQuery({
    queryKey: [...customerKeys.contactLists, "pick", accountId, q],
    queryFn: ({ signal }) =>
      accountId
        ? unwrap(
            api.GET("/api/v1/accounts/{id}/contacts", {
              params: { path: { id: accountId }, query: { q: q || undefined, limit: 50 } },
              signal,
            }),
          )
        : unwrap(
            api.GET("/api/v1/contacts", { params: { query: { q: q || undefined, limit: 20 } }, signal }),
          ),
    staleTime: 30_000,
  });
}

/** A new case, as an agent logs it (a phone call, an email forwarded by hand). */
export function NewCasePage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const create = useCreateCase();

  const [subject, setSubject] = useState("");
  const [description, setDescription] = useState("");
  const [accountId, setAccountId] = useState<string | null>(params.get("accountId"));
  const [contactId, setContactId] = useState<string | null>(params.get("contactId"));
  const [priority, setPriority] = useState<TPriority>("normal");
  const [channel, setChannel] = useState<TChannel>("phone");
  const [product, setProduct] = useState("");
  const [tags, setTags] = useState<string[]>([]);
  const [errors, setErrors] = useState<Partial<Record<TField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const subjectRef = useRef<HTMLInputElement>(null);

  const [accountSearch, setAccountSearch] = useState("");
  const [accountQ] = useDebouncedValue(accountSearch, 200);
  const [contactSearch, setContactSearch] = useState("");
  const [contactQ] = useDebouncedValue(contactSearch, 200);
  // Chosen options are kept, so their labels stay while the search shows other results.
  const [picked, setPicked] = useState<{ account?: TAccount; contact?: TContact }>({});

  // Once an option is chosen the box shows its label: that is not a search.
  const accountTerm = picked.account && accountQ === accountLabel(picked.account) ? "" : accountQ;
  const contactTerm = picked.contact && contactQ === contactLabel(picked.contact) ? "" : contactQ;
  const accounts = useAccountSearch(accountTerm);
  const contacts = useContactSearch(accountId, contactTerm);
  const prefilledAccount = useQuery({
    queryKey: customerKeys.account(accountId ?? ""),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/accounts/{id}", { params: { path: { id: accountId ?? "" } }, signal })),
    enabled: Boolean(accountId) && !picked.account,
  });
  const prefilledContact = useQuery({
    queryKey: customerKeys.contact(contactId ?? ""),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/contacts/{id}", { params: { path: { id: contactId ?? "" } }, signal })),
    enabled: Boolean(contactId) && !picked.contact,
  });
  const chosenAccount = picked.account ?? prefilledAccount.data;
  const chosenContact = picked.contact ?? prefilledContact.data;

  const accountOptions = useMemo(() => {
    const list = [...(accounts.data?.items ?? [])];
    if (chosenAccount && !list.some((account) => account.id === chosenAccount.id))
      list.unshift(chosenAccount);
    return list.map((account) => ({ value: account.id, label: accountLabel(account) }));
  }, [accounts.data, chosenAccount]);
  const contactOptions = useMemo(() => {
    const list = [...(contacts.data?.items ?? [])];
    if (chosenContact && !list.some((contact) => contact.id === chosenContact.id))
      list.unshift(chosenContact);
    return list.map((contact) => ({ value: contact.id, label: contactLabel(contact) }));
  }, [contacts.data, chosenContact]);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setErrors({});
    setFormError(null);
    if (!subject.trim()) {
      setErrors({ subject: "A case needs a subject." });
      subjectRef.current?.focus();
      return;
    }
    try {
      const created = await create.mutateAsync({
        subject: subject.trim(),
        description: description.trim() || undefined,
        accountId: accountId ?? undefined,
        contactId: contactId ?? undefined,
        priority,
        channel,
        product: product.trim() || undefined,
        tags: tags.length ? tags.map((tag) => tag.trim().toLowerCase()) : undefined,
      });
      // Read out as "Case CS-000123 created. CS-000123 Subject" on arrival.
      navigate(`/cases/${created.id}`, {
        replace: true,
        state: { announce: `Case ${created.number} created` },
      });
    } catch (error) {
      const split = formErrorsFrom(error, FIELDS, {
        hints: {
          accountId: "Choose an account from the list.",
          contactId: "Choose a contact from the list.",
        },
      });
      setErrors(split.fields);
      setFormError(split.form);
    }
  }

  return (
    <Page
      title="New case"
      above={
        <Anchor component={Link} to={queuePath()} size="sm" c="dimmed">
          <Group gap={4} component="span">
            <IconArrowLeft size={14} aria-hidden /> Inbox
          </Group>
        </Anchor>
      }
    >
      <form
        onSubmit={onSubmit}
        onKeyDown={(event) => {
          // Ctrl/⌘+Enter creates the case from any field, the description included.
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            event.currentTarget.requestSubmit();
          }
        }}
        noValidate
        style={{ maxWidth: 760 }}
      >
        <Stack gap="md">
          {formError ? (
            <Alert color="red" variant="light" role="alert" icon={<IconAlertCircle size={18} aria-hidden />}>
              {formError}
            </Alert>
          ) : null}
          <TextInput
            ref={subjectRef}
            label="Subject"
            placeholder="What is it about, in a few words"
            value={subject}
            onChange={(event) => setSubject(event.currentTarget.value)}
            error={errors.subject}
            required
            maxLength={500}
            data-autofocus
            autoFocus
          />
          <Textarea
            label="Description"
            description="What the customer asked or reported, in their words where you can"
            value={description}
            onChange={(event) => setDescription(event.currentTarget.value)}
            error={errors.description}
            autosize
            minRows={5}
            maxRows={16}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <Select
              label="Account"
              placeholder="Search accounts…"
              searchable
              clearable
              data={accountOptions}
              value={accountId}
              onChange={(value) => {
                setAccountId(value);
                const account = accounts.data?.items.find((item) => item.id === value);
                setPicked((current) => ({ ...current, account }));
                // A contact of another account would be refused.
                if (chosenContact && chosenContact.accountId !== value) {
                  setContactId(null);
                  setPicked((current) => ({ ...current, contact: undefined }));
                }
              }}
              searchValue={accountSearch}
              onSearchChange={setAccountSearch}
              filter={({ options }) => options}
              nothingFoundMessage={accounts.isFetching ? "Searching…" : "No account matches"}
              error={errors.accountId}
            />
            <Select
              label="Contact"
              placeholder={accountId ? "Search this account's contacts…" : "Search all contacts…"}
              searchable
              clearable
              data={contactOptions}
              value={contactId}
              onChange={(value) => {
                setContactId(value);
                const contact = contacts.data?.items.find((item) => item.id === value);
                setPicked((current) => ({ ...current, contact }));
                // A contact implies its account.
                if (contact && contact.accountId !== accountId) {
                  setAccountId(contact.accountId);
                  setPicked((current) => ({ ...current, account: undefined }));
                }
              }}
              searchValue={contactSearch}
              onSearchChange={setContactSearch}
              filter={({ options }) => options}
              nothingFoundMessage={contacts.isFetching ? "Searching…" : "No contact matches"}
              error={errors.contactId}
            />
          </SimpleGrid>
          <Input.Wrapper label="Priority" labelElement="div" id="new-case-priority">
            <SegmentedControl
              aria-labelledby="new-case-priority-label"
              value={priority}
              onChange={(value) => setPriority(value as TPriority)}
              data={[...PRIORITIES].reverse().map((value) => ({
                value,
                label: (
                  <Group gap={6} wrap="nowrap" justify="center">
                    <PriorityIcon priority={value} size={14} />
                    <span>{priorityLabel[value]}</span>
                  </Group>
                ),
              }))}
            />
          </Input.Wrapper>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <Select
              label="Channel"
              description="Where the customer reached you"
              data={CHANNELS.map((value) => ({ value, label: channelLabel[value] }))}
              value={channel}
              onChange={(value) => value && setChannel(value as TChannel)}
              allowDeselect={false}
              error={errors.channel}
            />
            <TextInput
              label="Product"
              description="Name or code"
              value={product}
              onChange={(event) => setProduct(event.currentTarget.value)}
              error={errors.product}
              maxLength={200}
            />
          </SimpleGrid>
          <TagsInput
            label="Tags"
            description="Press Enter or comma after each"
            value={tags}
            onChange={setTags}
            error={errors.tags}
            maxTags={50}
          />
          <Group gap="sm" mt="xs">
            <Button
              type="submit"
              loading={create.isPending}
              leftSection={<IconPlus size={16} aria-hidden />}
              aria-keyshortcuts="Control+Enter Meta+Enter"
            >
              Create case
            </Button>
            <Button component={Link} to={queuePath()} variant="default">
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Page>
  );
}
