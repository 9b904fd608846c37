"use client";

import { useActionState } from "react";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Button } from "@/components/ui/button";
import { magicCode, type MagicCodeState } from "./actions";
import { SubmitButton } from "./submit-button";

const initialState: MagicCodeState = { step: "email", email: "" };

/** `invitationToken`: from an invitation's link; sent along so that WorkOS accepts the invitation. */
export function MagicCodeForm({ invitationToken }: { invitationToken?: string }) {
  const [state, action, pending] = useActionState(magicCode, initialState);

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
