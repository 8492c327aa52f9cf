import { Alert, Button, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconAlertCircle, IconInfoCircle } from "@tabler/icons-react";
import { type FormEvent, useRef, useState } from "react";
import { Navigate, useSearchParams } from "react-router-dom";
import { ApiError } from "../../api/problem";
import { safeNextPath } from "../../auth/next-path";
import { type TSignedOutReason, useSession, useSignIn } from "../../auth/session";
import { Wordmark } from "../../components/logo-mark";
import { usePageTitle } from "../../components/use-page-title";
import classes from "./login-page.module.css";

type TFieldErrors = { email?: string; password?: string };

const reasonNotice: Partial<Record<TSignedOutReason, string>> = {
  expired: "Your session has ended. Sign in again to carry on where you left off.",
  "signed-out": "You have signed out.",
};

export function LoginPage() {
  usePageTitle("Sign in");
  const [searchParams] = useSearchParams();
  const next = safeNextPath(searchParams.get("next"));
  const session = useSession();
  const signIn = useSignIn();

  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [passwordVisible, setPasswordVisible] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<TFieldErrors>({});
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  if (session.data?.status === "signed-in") return <Navigate to={next} replace />;

  const notice =
    session.data?.status === "signed-out" && !signIn.error ? reasonNotice[session.data.reason] : null;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (signIn.isPending) return;
    const missing: TFieldErrors = {};
    if (!email.trim()) missing.email = "Enter your email address.";
    if (!password) missing.password = "Enter your password.";
    setFieldErrors(missing);
    if (missing.email || missing.password) {
      signIn.reset();
      (missing.email ? emailRef : passwordRef).current?.focus();
      return;
    }
    signIn.mutate(
      { email: email.trim(), password },
      {
        onError: (error) => {
          const fromServer = error instanceof ApiError ? error.fieldErrors() : {};
          setFieldErrors({ email: fromServer.email, password: fromServer.password });
          if (fromServer.email) {
            emailRef.current?.focus();
          } else {
            passwordRef.current?.focus();
            passwordRef.current?.select();
          }
        },
      },
    );
  }

  return (
    <main className={classes.page}>
      <div className={classes.brand}>
        <Wordmark size={34} />
      </div>
      <div className={classes.card}>
        <form onSubmit={onSubmit} noValidate aria-labelledby="sign-in-title">
          <Stack gap="md">
            <div>
              <Title id="sign-in-title" order={1} fz={22} fw={650}>
                Sign in
              </Title>
              <Text c="dimmed" fz={14} mt={4}>
                Welcome back. Use the email address your team invited.
              </Text>
            </div>

            {signIn.error ? (
              <Alert
                role="alert"
                color="red"
                variant="light"
                icon={<IconAlertCircle size={18} aria-hidden />}
                data-testid="sign-in-error"
              >
                {signInErrorMessage(signIn.error)}
              </Alert>
            ) : null}
            {notice ? (
              <Alert
                role="status"
                color="keep"
                variant="light"
                icon={<IconInfoCircle size={18} aria-hidden />}
              >
                {notice}
              </Alert>
            ) : null}

            <TextInput
              ref={emailRef}
              label="Email"
              type="email"
              name="email"
              autoComplete="username"
              inputMode="email"
              autoCapitalize="none"
              spellCheck={false}
              autoFocus
              required
              withAsterisk={false}
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              error={fieldErrors.email}
              size="md"
            />
            <PasswordInput
              ref={passwordRef}
              label="Password"
              name="password"
              autoComplete="current-password"
              required
              withAsterisk={false}
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
              error={fieldErrors.password}
              visible={passwordVisible}
              onVisibilityChange={setPasswordVisible}
              visibilityToggleButtonProps={{
                "aria-label": passwordVisible ? "Hide password" : "Show password",
                // Mantine leaves the toggle out of the tab order; keyboard users deserve it too.
                tabIndex: 0,
              }}
              size="md"
            />
            <Button
              type="submit"
              size="md"
              fullWidth
              loading={signIn.isPending}
              disabled={signIn.isPending}
              mt={4}
            >
              Sign in
            </Button>
          </Stack>
        </form>
      </div>
      <Text className={classes.footnote} size="sm" c="dimmed">
        Forgotten your password? Ask your Keepdesk administrator to reset it.
      </Text>
    </main>
  );
}

function signInErrorMessage(error: Error): string {
  if (!(error instanceof ApiError)) return "Something went wrong while signing in. Try again.";
  const detail = error.problem?.detail?.trim();
  switch (true) {
    case error.status === 0:
      return "Keepdesk can't be reached. Check your connection and try again.";
    case error.status === 401:
      return detail || "That email and password don't match. Check them and try again.";
    case error.status === 429: {
      const wait = error.retryAfterSeconds;
      return (
        detail ||
        `Too many sign-in attempts. Try again in ${wait ? `${Math.ceil(wait / 60)} minute${wait > 60 ? "s" : ""}` : "a few minutes"}.`
      );
    }
    case error.status === 400:
      return detail || "Check the highlighted fields and try again.";
    case error.status >= 500:
      return `Keepdesk ran into a problem (${error.status}). Try again in a moment.`;
    default:
      return detail || error.problem?.title || `Sign-in failed (${error.status}). Try again.`;
  }
}
