"use client";

import { useActionState } from "react";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { signInWithSso, type SsoState } from "./sso-actions";
import { SubmitButton } from "./submit-button";

const initialState: SsoState = { email: "" };

export function SsoForm() {
  const [state, action] = useActionState(signInWithSso, initialState);
  return (
    <form action={action} className="grid gap-3">
      <div className="grid gap-2">
        <Label htmlFor="sso-email">Work email</Label>
        <Input
          id="sso-email"
          name="email"
          type="email"
          autoComplete="email"
          placeholder="you@company.com"
          defaultValue={state.email}
          required
        />
      </div>
      {state.error ? (
        <p role="alert" className="text-sm text-destructive">
          {state.error}
        </p>
      ) : null}
      <SubmitButton variant="outline">Sign in with SSO</SubmitButton>
    </form>
  );
}
