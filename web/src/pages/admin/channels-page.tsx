import { Alert, Anchor, Button, Code, CopyButton, Group, Stack, Table, Text, Title } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { api, unwrap } from "../../api/client";
import classes from "./admin.module.css";
import { AdminFrame } from "./admin-page";

/**
 * Admin → Channels: where customers reach us — email (its own pages), the customer portal,
 * phone ("Log a call" in the inbox) and the web form, with the HTML to embed on a website.
 */
export function ChannelsPage() {
  const snippet = useQuery({
    queryKey: ["admin", "web-form-snippet"],
    queryFn: () => unwrap(api.GET("/api/v1/web-form/snippet")),
  });
  const origin = window.location.origin;

  return (
    <AdminFrame title="Channels">
      <p className={classes.lead}>How customers reach you. Every channel opens a case in the same inbox.</p>
      <Stack gap="xl" maw={820}>
        <section aria-labelledby="ch-email">
          <Title id="ch-email" order={2} fz={17} mb={6}>
            Email
          </Title>
          <Text size="sm">
            Mail to the support address becomes cases and replies (see{" "}
            <Anchor component={Link} to="/admin/inbound-mail">
              Inbound mail
            </Anchor>{" "}
            and{" "}
            <Anchor component={Link} to="/admin/email-templates">
              Email templates
            </Anchor>
            ). Settings: <Code>KEEPDESK_SMTP_LISTEN</Code>, <Code>KEEPDESK_SMTP_URL</Code>,{" "}
            <Code>KEEPDESK_MAIL_FROM</Code>.
          </Text>
        </section>

        <section aria-labelledby="ch-portal">
          <Title id="ch-portal" order={2} fz={17} mb={6}>
            Customer portal
          </Title>
          <Text size="sm">
            Contacts sign in at{" "}
            <Anchor href={`${origin}/portal`} target="_blank" rel="noreferrer">
              {origin}/portal
            </Anchor>{" "}
            with a one-time link emailed to their address (15 minutes, single use). They see their account's
            requests and public replies, write back, ask for a call back (a promise for the owner) and ask for
            a manager (the team lead is told). Internal notes, priorities and SLA clocks never show there.
          </Text>
          <Group mt={8}>
            <CopyButton value={`${origin}/portal`}>
              {({ copied, copy }) => (
                <Button
                  size="xs"
                  variant="default"
                  onClick={copy}
                  leftSection={
                    copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />
                  }
                >
                  {copied ? "Copied" : "Copy portal link"}
                </Button>
              )}
            </CopyButton>
          </Group>
        </section>

        <section aria-labelledby="ch-phone">
          <Title id="ch-phone" order={2} fz={17} mb={6}>
            Phone
          </Title>
          <Text size="sm">
            Agents use <strong>Log a call</strong> in the{" "}
            <Anchor component={Link} to="/cases">
              inbox
            </Anchor>{" "}
            to open a phone case or add a call to an existing one; the call is logged as an activity and keeps
            any call-back promise.
          </Text>
        </section>

        <section aria-labelledby="ch-web">
          <Title id="ch-web" order={2} fz={17} mb={6}>
            Web form
          </Title>
          <Text size="sm" mb={8}>
            Paste this form into any web page. It posts to{" "}
            <Code>{snippet.data?.endpoint ?? "/api/v1/web-form"}</Code> (no sign-in; JSON works too). The
            hidden <Code>website</Code> field is a spam trap: posts that fill it are thanked and dropped. Each
            address may post 5 times in 10 minutes.
          </Text>
          {snippet.isError ? (
            <Alert color="red" role="alert">
              {snippet.error.message}
            </Alert>
          ) : null}
          {snippet.data ? (
            <Stack gap={8}>
              <pre
                style={{
                  margin: 0,
                  padding: 12,
                  overflowX: "auto",
                  fontSize: 12,
                  background: "var(--kd-surface-sunken)",
                  border: "1px solid var(--kd-divider)",
                  borderRadius: 6,
                }}
              >
                {snippet.data.html}
              </pre>
              <Group>
                <CopyButton value={snippet.data.html}>
                  {({ copied, copy }) => (
                    <Button
                      size="xs"
                      onClick={copy}
                      leftSection={
                        copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />
                      }
                    >
                      {copied ? "Copied" : "Copy HTML"}
                    </Button>
                  )}
                </CopyButton>
              </Group>
              <Table withTableBorder w={360} aria-label="Web form, last 30 days">
                <Table.Tbody>
                  <Table.Tr>
                    <Table.Th>Cases opened (30 days)</Table.Th>
                    <Table.Td>{snippet.data.stats.created}</Table.Td>
                  </Table.Tr>
                  <Table.Tr>
                    <Table.Th>Spam turned away (30 days)</Table.Th>
                    <Table.Td>{snippet.data.stats.spam}</Table.Td>
                  </Table.Tr>
                </Table.Tbody>
              </Table>
            </Stack>
          ) : null}
        </section>
      </Stack>
    </AdminFrame>
  );
}
