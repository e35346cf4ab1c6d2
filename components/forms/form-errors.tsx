import { Alert, AlertDescription } from "@/components/ui/alert";

/** A form's messages about the form as a whole (refusals, limits), every one of them; nothing when there are none. */
export function FormErrors({ messages, className }: { messages: readonly string[]; className?: string }) {
  if (messages.length === 0) return null;
  return (
    <Alert variant="destructive" className={className}>
      <AlertDescription>
        {messages.map((m) => (
          <p key={m}>{m}</p>
        ))}
      </AlertDescription>
    </Alert>
  );
}
