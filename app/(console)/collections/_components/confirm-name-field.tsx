"use client";

import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** The typed confirmation of a destructive action: the name to type, the input, and its error. */
export function ConfirmNameField({ id, name, value, onChange, errors }: { id: string; name: string; value: string; onChange: (value: string) => void; errors?: string[] }) {
  return (
    <div className="space-y-1.5">
      <Label htmlFor={id}>
        Type <span className="font-mono">{name}</span> to confirm
      </Label>
      <Input id={id} name="confirmName" value={value} onChange={(e) => onChange(e.target.value)} autoComplete="off" aria-invalid={!!errors} aria-describedby={`${id}-error`} />
      <FieldError id={`${id}-error`} errors={errors} />
    </div>
  );
}
