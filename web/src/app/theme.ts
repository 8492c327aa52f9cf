import { type CSSVariablesResolver, createTheme, type MantineColorsTuple } from "@mantine/core";

// A calm indigo-blue. White text on shade 6 is 4.8:1, on shade 7 6.2:1; shade 8 on shade 0
// (active navigation) is 7.3:1, so every pairing we use clears WCAG AA.
const keep: MantineColorsTuple = [
  "#eef2ff",
  "#e0e7fd",
  "#c1cef8",
  "#9fb2f2",
  "#7e96eb",
  "#6580e4",
  "#5169d9",
  "#4257c4",
  "#36479f",
  "#2b397d",
];

// Cool, slightly blue greys. Shade 6 is Mantine's "dimmed" text: 5.4:1 on white (Mantine's
// default grey 6 is 3.3:1, which fails AA for the small print it is used for).
const gray: MantineColorsTuple = [
  "#f7f8fa",
  "#f0f2f5",
  "#e5e8ed",
  "#d6dae1",
  "#c3c9d2",
  "#9aa3b0",
  "#5f6b7a",
  "#4a5563",
  "#323a46",
  "#1d232c",
];

const fontFamily =
  'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif';

export const theme = createTheme({
  primaryColor: "keep",
  primaryShade: { light: 6, dark: 5 },
  colors: { keep, gray },
  white: "#ffffff",
  black: "#1d232c",
  fontFamily,
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, "JetBrains Mono", Menlo, Consolas, monospace',
  headings: { fontFamily, fontWeight: "650" },
  defaultRadius: "md",
  focusRing: "auto",
  cursorType: "pointer",
  fontSizes: { xs: "0.75rem", sm: "0.8125rem", md: "0.875rem", lg: "1rem", xl: "1.125rem" },
  components: {
    Kbd: { defaultProps: { size: "xs" } },
    Tooltip: { defaultProps: { openDelay: 400, withArrow: true } },
  },
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    "--mantine-color-text": "#1d232c",
    "--mantine-color-dimmed": "#5f6b7a",
    // 4.7:1 on white: placeholders carry the search shortcut hint, so they must be readable.
    "--mantine-color-placeholder": "#6b7585",
    // Form controls need a 3:1 boundary (WCAG 1.4.11); decorative dividers stay lighter.
    "--kd-control-border": "#8a94a3",
    "--kd-divider": "#e5e8ed",
    "--kd-surface-sunken": "#f7f8fa",
  },
  dark: {},
});
