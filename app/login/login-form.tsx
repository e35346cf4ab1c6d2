"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

const MESSAGES: Record<string, string> = {
  invalid: "Invalid e-mail or password.",
  locked: "Too many failed sign-ins from this address. Try again later, or ask an admin to unlock the account.",
};

/** The sign-in error code as a sentence; `locked:<minutes>` says how long the lock lasts. */
function messageFor(code: string | null | undefined): string {
  const minutes = /^locked:(\d+)$/.exec(code ?? "")?.[1];
  if (minutes) return `Too many failed sign-ins from this address. Try again in ${minutes} minute${minutes === "1" ? "" : "s"}, or ask an admin to unlock the account.`;
  return MESSAGES[code ?? ""] ?? "Sign-in is not available right now. Try again in a moment.";
}

type Errors = { email?: string[]; password?: string[]; form?: string };

export function LoginForm({ next }: { next: string }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Errors>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    const fieldErrors: Errors = {};
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) fieldErrors.email = ["Enter your e-mail address."];
    if (!password) fieldErrors.password = ["Enter your password."];
    setErrors(fieldErrors);
    if (fieldErrors.email || fieldErrors.password) return;

    setPending(true);
    const result = await signIn("credentials", { email, password, redirect: false }).catch(() => undefined);
    setPending(false);
    if (result?.ok && !result.error) {
      router.replace(next);
      router.refresh();
      return;
    }
    setErrors({ form: messageFor(result?.error) });
  }

  return (
    <Card>
      <CardContent className="pt-6">
        <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Sign in">
          {errors.form && (
            <Alert variant="destructive">
              <AlertDescription>{errors.form}</AlertDescription>
            </Alert>
          )}
          <div className="space-y-1.5">
            <Label htmlFor="email">E-mail</Label>
            <Input id="email" name="email" type="email" autoComplete="username" aria-invalid={!!errors.email} aria-describedby="email-error" autoFocus />
            <FieldError id="email-error" errors={errors.email} />
          </div>
          <div className="space-y-1.5">
            <Label htmlFor="password">Password</Label>
            <Input id="password" name="password" type="password" autoComplete="current-password" aria-invalid={!!errors.password} aria-describedby="password-error" />
            <FieldError id="password-error" errors={errors.password} />
          </div>
          <Button type="submit" className="w-full" disabled={pending}>
            {pending ? "Signing in…" : "Sign in"}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
