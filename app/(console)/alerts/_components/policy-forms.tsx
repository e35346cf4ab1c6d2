"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { deletePolicyAction, savePolicyAction } from "../actions";
import { NoChannelsHint } from "./no-channels-hint";

type Channel = { id: string; name: string; type: string };
type User = { id: string; name: string; email: string };
type Policy = { id: string; name: string; levels: { channelIds: string[]; userIds?: string[]; delaySeconds: number }[]; repeatLastLevel: number };

/** "levels.1.userIds" → "Level 2 users": the field of a level error as the form names it. */
const levelField = (key: string) => key.replace(/^levels\.(\d+)/, (_m, n: string) => `Level ${Number(n) + 1}`).replace(/\.channelIds$/, " channels").replace(/\.userIds$/, " users").replace(/\.delaySeconds$/, " delay");

/** Level rows shown: the policy's, plus empty ones up to this many (an empty row is left out). */
const LEVEL_ROWS = 4;

/** Add (no policy) or edit a policy: name, up to four levels of channels, users and a delay, and the last level's repeats. */
export function PolicyForm({ channels, users, policy }: { channels: Channel[]; users: User[]; policy?: Policy }) {
  const [result, action, pending] = useActionState(savePolicyAction, null);
  const errors = result && !result.ok ? result.fieldErrors ?? {} : {};
  const prefix = policy ? `policy-${policy.id}` : "policy-new";
  const rows = Math.max(LEVEL_ROWS, policy?.levels.length ?? 0);
  const levelErrors = Object.entries(errors).filter(([k]) => k.startsWith("levels"));
  return (
    <form action={action} noValidate aria-label={policy ? `Edit ${policy.name}` : "Add policy"} className="space-y-3">
      {policy && <input type="hidden" name="policyId" value={policy.id} />}
      <div className="max-w-sm space-y-1">
        <Label htmlFor={`${prefix}-name`}>Name</Label>
        <Input id={`${prefix}-name`} name="name" required maxLength={120} defaultValue={policy?.name} aria-describedby={errors.name ? `${prefix}-name-error` : undefined} />
        {errors.name && <FieldError id={`${prefix}-name-error`} errors={errors.name} />}
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Levels (a level with no channel and no user is left out; each waits its delay after the one before, unless acknowledged; users are emailed at their account address)</legend>
        {Array.from({ length: rows }, (_, i) => {
          const level = policy?.levels[i];
          return (
            <div key={i} className="grid gap-2 md:grid-cols-[6rem_1fr_1fr_10rem] md:items-start">
              <span className="pt-2 text-sm text-muted-foreground">Level {i + 1}</span>
              <div className="space-y-1">
                <Label htmlFor={`${prefix}-l${i}-channels`}>Channels</Label>
                <Select id={`${prefix}-l${i}-channels`} name={`level${i}.channelIds`} multiple defaultValue={level?.channelIds ?? []} className="h-20" aria-label={`Level ${i + 1} channels`}>
                  {channels.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name} ({c.type})
                    </option>
                  ))}
                </Select>
                {i === 0 && <NoChannelsHint count={channels.length} />}
              </div>
              <div className="space-y-1">
                <Label htmlFor={`${prefix}-l${i}-users`}>Users (email)</Label>
                <Select id={`${prefix}-l${i}-users`} name={`level${i}.userIds`} multiple defaultValue={level?.userIds ?? []} className="h-20" aria-label={`Level ${i + 1} users`}>
                  {users.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name} ({u.email})
                    </option>
                  ))}
                </Select>
              </div>
              <div className="space-y-1">
                <Label htmlFor={`${prefix}-l${i}-delay`}>Delay (seconds)</Label>
                <Input id={`${prefix}-l${i}-delay`} name={`level${i}.delaySeconds`} inputMode="numeric" defaultValue={String(level?.delaySeconds ?? (i === 0 ? 0 : 300))} />
              </div>
            </div>
          );
        })}
        {levelErrors.length > 0 && <FieldError id={`${prefix}-levels-error`} errors={levelErrors.map(([k, v]) => `${levelField(k)}: ${v.join(" ")}`)} />}
      </fieldset>
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="repeat" defaultChecked={(policy?.repeatLastLevel ?? 0) > 0} /> Repeat the last level (each repeat its delay after the one before)
        </label>
        <Label htmlFor={`${prefix}-repeat`} className="sr-only">Times to repeat</Label>
        <Input id={`${prefix}-repeat`} name="repeatLastLevel" inputMode="numeric" className="w-24" defaultValue={String(policy?.repeatLastLevel || 3)} />
        <span className="text-sm text-muted-foreground">times at most (up to 1,000)</span>
      </div>
      {errors.repeatLastLevel && <FieldError id={`${prefix}-repeat-error`} errors={errors.repeatLastLevel} />}
      <div className="flex items-center gap-2">
        <Button type="submit" size="sm" disabled={pending}>
          {pending ? "Saving…" : policy ? "Save policy" : "Add policy"}
        </Button>
        {result && !result.ok && result.formError && !Object.keys(errors).length && <p role="alert" className="text-sm text-destructive">{result.formError}</p>}
        {result?.ok && <p role="status" className="text-sm text-success">{result.data.message}</p>}
      </div>
    </form>
  );
}

export function DeletePolicyButton({ policyId, name, rules }: { policyId: string; name: string; rules: number }) {
  const [result, action] = useActionState(deletePolicyAction, null);
  return (
    <form action={action} className="contents">
      <input type="hidden" name="policyId" value={policyId} />
      <ConfirmButton variant="destructive" size="sm" title={`Delete the escalation policy “${name}”?`} description={rules ? `${rules} rule${rules === 1 ? "" : "s"} use it: they keep their own channels and stop escalating. Escalations under way stop at their next level.` : "No rule uses it."} confirmLabel="Delete policy">
        Delete
      </ConfirmButton>
      {result && !result.ok && <span className="text-xs text-destructive">{result.formError}</span>}
    </form>
  );
}
