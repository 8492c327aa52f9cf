import { Center, Loader, Stack, Text } from "@mantine/core";
import { LogoMark } from "./logo-mark";

export function FullPageLoader({ label = "Loading Keepdesk…" }: { label?: string }) {
  return (
    <Center h="100dvh" role="status" aria-live="polite">
      <Stack align="center" gap="md">
        <LogoMark size={40} />
        <Loader size="sm" aria-hidden />
        <Text size="sm" c="dimmed">
          {label}
        </Text>
      </Stack>
    </Center>
  );
}
