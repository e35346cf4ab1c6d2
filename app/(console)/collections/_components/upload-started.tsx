import { Alert, AlertDescription } from "@/components/ui/alert";

export type Refusal = { name: string; reason: string };

/** After an upload: the operation it started, and each file that was not taken with its reason. */
export function UploadStarted({ done, operationId, refused, className }: { done: string; operationId: string; refused: Refusal[]; className?: string }) {
  return (
    <Alert variant="success" className={className}>
      <AlertDescription>
        <p>
          {done}; indexing started. <a className="underline" href={`/operations/${operationId}`}>Follow the operation</a>.
        </p>
        {refused.map((r) => (
          <p key={r.name}>
            Not uploaded: {r.name} — {r.reason}
          </p>
        ))}
      </AlertDescription>
    </Alert>
  );
}
