import { Alert, Button, Stack, Text, TextInput, Title } from "@mantine/core";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router-dom";
import { ApiError } from "../api/problem";
import { usePageTitle } from "../components/use-page-title";
import classes from "./portal.module.css";
import { usePortalMe, useRedeemLink, useRequestLink } from "./portal-api";

/**
 * Sign-in by emailed link. Opening the link lands here with ?token=…; the token is spent by a
 * POST (a mail scanner that only GETs the link cannot use it up).
 */
export function PortalSignInPage() {
  usePageTitle("Sign in to support");
  const [params] = useSearchParams();
  const token = params.get("token");
  const me = usePortalMe();
  const navigate = useNavigate();
  const request = useRequestLink();
  const redeem = useRedeemLink();
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (!token || started.current) return;
    started.current = true;
    redeem.mutate(token, { onSuccess: () => navigate("/portal", { replace: true }) });
  }, [token, redeem, navigate]);

  if (me.data && !token) return <Navigate to="/portal" replace />;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!email.trim()) {
      setError("Enter your email address.");
      return;
    }
    setError(null);
    request.mutate(email.trim(), {
      onError: (e) =>
        setError(e instanceof ApiError ? (e.fieldErrors().email ?? e.message) : "Something went wrong."),
    });
  }

  if (token) {
    return (
      <div className={`${classes.card} ${classes.narrow}`}>
        {redeem.isError ? (
          <Stack>
            <Title order={1} fz={22}>
              This link cannot be used
            </Title>
            <Alert color="red" role="alert">
              {redeem.error.message}
            </Alert>
            <Button onClick={() => navigate("/portal/sign-in", { replace: true })}>Send me a new link</Button>
          </Stack>
        ) : (
          <Text role="status">Signing you in…</Text>
        )}
      </div>
    );
  }

  return (
    <div className={`${classes.card} ${classes.narrow}`}>
      {request.isSuccess ? (
        <Stack>
          <Title order={1} fz={22}>
            Check your email
          </Title>
          <Text role="status">{request.data.message}</Text>
          <Button variant="light" onClick={() => request.reset()}>
            Use another address
          </Button>
        </Stack>
      ) : (
        <form onSubmit={onSubmit} noValidate aria-labelledby="portal-sign-in-title">
          <Stack>
            <Title id="portal-sign-in-title" order={1} fz={22}>
              Sign in to support
            </Title>
            <Text c="dimmed" fz={15}>
              We will email you a link to sign in. No password needed.
            </Text>
            <TextInput
              label="Your email address"
              type="email"
              name="email"
              autoComplete="email"
              inputMode="email"
              autoCapitalize="none"
              spellCheck={false}
              size="md"
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={error}
              autoFocus
            />
            <Button type="submit" size="md" loading={request.isPending}>
              Email me a sign-in link
            </Button>
          </Stack>
        </form>
      )}
    </div>
  );
}
