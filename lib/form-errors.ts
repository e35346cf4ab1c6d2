/** An error as the API and the verbs give it: a code, a message, and messages per field. */
export type FieldedError = { code?: string; message: string; fieldErrors?: Record<string, string[]> };

/**
 * What a form shows above its fields. An invalid input whose errors all sit on fields shows them
 * there and nowhere else; anything else (a conflict, the form as a whole) shows its message.
 * Client-safe: used by server actions and by forms that post to the API.
 */
export function formErrorOf(err: FieldedError): string | undefined {
  if (err.code === "invalid" && err.fieldErrors && Object.keys(err.fieldErrors).length > 0 && !err.fieldErrors._form) return undefined;
  return err.fieldErrors?._form?.[0] ?? err.message;
}
