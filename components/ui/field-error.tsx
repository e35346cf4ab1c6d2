import { cn } from "./cn";

export type FieldErrorProps = {
  /** Referenced by the control's aria-describedby. */
  id: string;
  errors?: readonly string[];
  className?: string;
};

export function FieldError({ id, errors, className }: FieldErrorProps) {
  if (!errors || errors.length === 0) return null;
  return (
    <div id={id} className={cn("space-y-0.5 text-sm text-destructive", className)}>
      {errors.map((message) => (
        <p key={message}>{message}</p>
      ))}
    </div>
  );
}
