"use client";

import { useActionState, useSyncExternalStore } from "react";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Button } from "@/components/ui/button";
import { magicCode, type MagicCodeState } from "./actions";
import { SubmitButton } from "./submit-button";

const initialState: MagicCodeState = { step: "email", email: "" };

// The URL never changes while this page is open: nothing to subscribe to.
const noChanges = () => () => {};

/** `?invitation_token=` from an invitation's link (token-shaped values only), else undefined. */
function invitationTokenInUrl(): string | undefined {
  const token = new URLSearchParams(window.location.search).get("invitation_token");
  return token && /^[\w-]{8,256}$/.test(token) ? token : undefined;
}

export function MagicCodeForm() {
  const [state, action, pending] = useActionState(magicCode, initialState);
  // Read in the browser (none on the server render), so the page needs no second, streamed copy of
  // this form; sent along so that WorkOS accepts the invitation.
  const invitationToken = useSyncExternalStore(noChanges, invitationTokenInUrl, () => undefined);

  return (
    <form action={action} className="grid gap-3">
      {invitationToken ? <input type="hidden" name="invitation_token" value={invitationToken} /> : null}
      <div className="grid gap-2">
        <Label htmlFor="email">Email</Label>
        <Input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          placeholder="you@example.com"
          defaultValue={state.email}
          readOnly={state.step === "code"}
          required
        />
      </div>
      {state.step === "code" ? (
        <div className="grid gap-2">
          <Label htmlFor="code">Code</Label>
          <Input
            id="code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="\d{6}"
            maxLength={6}
            placeholder="123456"
            required
            autoFocus
          />
          <p className="text-sm text-muted-foreground">
            We sent a six-digit code to {state.email}.
          </p>
        </div>
      ) : null}
      {state.error ? (
        <p role="alert" className="text-sm text-destructive">
          {state.error}
        </p>
      ) : null}
      <SubmitButton variant="secondary">
        {state.step === "email" ? "Email me a sign-in code" : "Verify code"}
      </SubmitButton>
      {state.step === "code" ? (
        <Button
          type="submit"
          name="intent"
          value="resend"
          variant="link"
          size="sm"
          formNoValidate
          disabled={pending}
        >
          Send a new code
        </Button>
      ) : null}
      {state.step === "code" ? (
        <Button
          type="submit"
          name="intent"
          value="change-email"
          variant="link"
          size="sm"
          formNoValidate
          disabled={pending}
        >
          Use another email
        </Button>
      ) : null}
    </form>
  );
}
