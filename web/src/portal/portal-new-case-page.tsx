import { Alert, Button, Group, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { ApiError } from "../api/problem";
import { usePageTitle } from "../components/use-page-title";
import classes from "./portal.module.css";
import { usePortalMe, useRaiseCase } from "./portal-api";

type Errors = { subject?: string; description?: string; product?: string };

/**
 * Raise a request. Knowledge articles will be suggested here once a knowledge base exists
 * (there is none yet, so nothing is shown rather than something made up).
 */
export function PortalNewCasePage() {
  usePageTitle("Ask for help");
  const me = usePortalMe();
  const navigate = useNavigate();
  const raise = useRaiseCase();
  const [subject, setSubject] = useState("");
  const [description, setDescription] = useState("");
  const [product, setProduct] = useState("");
  const [errors, setErrors] = useState<Errors>({});

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const missing: Errors = {};
    if (!subject.trim()) missing.subject = "Say in a few words what it is about.";
    if (!description.trim()) missing.description = "Tell us what happened.";
    setErrors(missing);
    if (missing.subject || missing.description) return;
    raise.mutate(
      {
        subject: subject.trim(),
        description: description.trim(),
        ...(product.trim() ? { product: product.trim() } : {}),
      },
      {
        onSuccess: (c) => navigate(`/portal/cases/${c.id}`),
        onError: (e) => {
          if (e instanceof ApiError) setErrors(e.fieldErrors());
        },
      },
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="new-title" className={classes.card}>
      <Stack>
        <div>
          <Title id="new-title" order={1} fz={24}>
            Ask for help
          </Title>
          {me.data ? (
            <Text c="dimmed" fz={14}>
              We will answer {me.data.contact.email} and show the answer here.
            </Text>
          ) : null}
        </div>
        {raise.isError && !(raise.error instanceof ApiError && raise.error.status === 400) ? (
          <Alert color="red" role="alert">
            {raise.error.message}
          </Alert>
        ) : null}
        <TextInput
          label="What is it about?"
          size="md"
          maxLength={500}
          value={subject}
          onChange={(e) => setSubject(e.currentTarget.value)}
          error={errors.subject}
          autoFocus
        />
        <Textarea
          label="What happened?"
          description="What you expected, what you saw, and anything you already tried."
          size="md"
          autosize
          minRows={5}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={errors.description}
        />
        <TextInput
          label="Product (optional)"
          size="md"
          maxLength={200}
          value={product}
          onChange={(e) => setProduct(e.currentTarget.value)}
          error={errors.product}
        />
        <Group justify="flex-end" className={classes.actions}>
          <Button component={Link} to="/portal" variant="default" size="md">
            Cancel
          </Button>
          <Button type="submit" size="md" loading={raise.isPending}>
            Send
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
