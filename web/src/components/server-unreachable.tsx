import { Button, Center, Paper, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import { IconPlugConnectedX, IconRefresh } from "@tabler/icons-react";
import { ApiError } from "../api/problem";

/** Shown when we cannot even learn who is signed in: the server is down or unreachable. */
export function ServerUnreachable({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const status = error instanceof ApiError ? error.status : 0;
  return (
    <Center mih="100dvh" p="md" bg="gray.0">
      <Paper withBorder radius="lg" p="xl" maw={440} w="100%" shadow="xs">
        <Stack align="center" ta="center" gap="sm">
          <ThemeIcon size={48} radius="xl" variant="light" color="gray" aria-hidden>
            <IconPlugConnectedX size={26} stroke={1.6} />
          </ThemeIcon>
          <Title order={1} fz="xl">
            Keepdesk can't be reached
          </Title>
          <Text c="dimmed" size="md" role="alert">
            {status === 0
              ? "Your browser couldn't connect to the Keepdesk server. Check your connection, then try again."
              : `The server answered with an error (${status}). Try again in a moment; if it keeps happening, tell your administrator.`}
          </Text>
          <Button leftSection={<IconRefresh size={16} />} onClick={onRetry} mt="xs">
            Try again
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
