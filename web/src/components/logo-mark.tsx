import { Group, Text } from "@mantine/core";
import { useId } from "react";

/** Keepdesk's mark: a conversation with its promise kept. Decorative: name it in the text beside it. */
export function LogoMark({ size = 28 }: { size?: number }) {
  const gradientId = useId();
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id={gradientId} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#5169d9" />
          <stop offset="1" stopColor="#36479f" />
        </linearGradient>
      </defs>
      <rect width="32" height="32" rx="8" fill={`url(#${gradientId})`} />
      <path
        d="M11 8h10a3 3 0 0 1 3 3v7a3 3 0 0 1-3 3h-6l-4 3.5V21a3 3 0 0 1-3-3v-7a3 3 0 0 1 3-3z"
        fill="none"
        stroke="#fff"
        strokeWidth="2"
        strokeLinejoin="round"
      />
      <path
        d="M12.5 14.5l2.5 2.5 4.5-5"
        fill="none"
        stroke="#fff"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** The mark with the product name beside it. */
export function Wordmark({ size = 28, hideNameBelow }: { size?: number; hideNameBelow?: "xs" | "sm" }) {
  return (
    <Group gap={10} wrap="nowrap">
      <LogoMark size={size} />
      <Text component="span" fw={700} fz={size * 0.62} c="gray.9" lts={-0.2} visibleFrom={hideNameBelow}>
        Keepdesk
      </Text>
    </Group>
  );
}
