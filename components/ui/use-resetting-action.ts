"use client";

import { useActionState, useEffect, useRef } from "react";
import type { ActionResult } from "@/lib/actions/run-action";

/** useActionState for a form that is cleared once its action succeeds; `errors` are the fields refused. */
export function useResettingAction<T>(serverAction: (prev: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>) {
  const [state, action, pending] = useActionState(serverAction, null);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok) formRef.current?.reset();
  }, [state]);
  return { state, action, pending, formRef, errors: state && !state.ok ? state.fieldErrors : undefined };
}
