import { Button, Center, Code, Paper, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import { IconAlertCircle, IconRefresh } from "@tabler/icons-react";
import { useRouteError } from "react-router-dom";

/** Last resort when a page throws while rendering: say so plainly and offer a reload. */
export function RouteErrorPage() {
  const error = useRouteError();
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Center mih="100dvh" p="md" bg="gray.0">
      <Paper withBorder radius="lg" p="xl" maw={480} w="100%">
        <Stack align="center" ta="center" gap="sm">
          <ThemeIcon size={48} radius="xl" variant="light" color="red" aria-hidden>
            <IconAlertCircle size={26} stroke={1.6} />
          </ThemeIcon>
          <Title order={1} fz="xl">
            This page stopped working
          </Title>
          <Text c="dimmed">Nothing you typed elsewhere is lost. Reloading usually fixes it.</Text>
          <Code block w="100%" ta="left">
            {message}
          </Code>
          <Button leftSection={<IconRefresh size={16} />} onClick={() => window.location.reload()}>
            Reload
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
