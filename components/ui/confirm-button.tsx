"use client";

import { useId, useState, type ReactNode } from "react";
import { Button, type ButtonProps } from "./button";
import { useModalDialog } from "./use-modal-dialog";

type ConfirmButtonProps = Omit<ButtonProps, "onClick" | "type" | "title"> & {
  /** The question, naming the thing: "Revoke token “ci”?" */
  title: string;
  description: ReactNode;
  confirmLabel: string;
  /** Sent with the form as the confirm button's name and value, like a pressed submit button's. */
  submitName?: string;
  submitValue?: string;
};

/**
 * A button inside a <form> that asks first: a modal alert dialog (native <dialog>: focus trap,
 * Escape, focus back on the button) names what will happen, and only its confirm button submits
 * the form. Cancel has the focus, so Enter on a stray press changes nothing.
 */
export function ConfirmButton({ title, description, confirmLabel, submitName, submitValue, children, ...buttonProps }: ConfirmButtonProps) {
  const [open, setOpen] = useState(false);
  const dialogRef = useModalDialog(open);
  const titleId = useId();
  const descriptionId = useId();

  return (
    <>
      <Button type="button" aria-haspopup="dialog" {...buttonProps} onClick={() => setOpen(true)}>
        {children}
      </Button>
      <dialog
        ref={dialogRef}
        role="alertdialog"
        aria-labelledby={titleId}
        aria-describedby={descriptionId}
        onCancel={(event) => {
          event.preventDefault();
          setOpen(false);
        }}
        onClose={() => setOpen(false)}
        className="m-auto w-full max-w-md rounded-lg border bg-background p-0 text-foreground shadow-xl backdrop:bg-black/50"
      >
        {open ? (
          <div className="space-y-4 p-5">
            <h2 id={titleId} className="text-lg font-semibold leading-tight">
              {title}
            </h2>
            <div id={descriptionId} className="text-sm text-muted-foreground">
              {description}
            </div>
            <div className="flex justify-end gap-2">
              <Button type="button" variant="outline" autoFocus onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button
                type="submit"
                name={submitName}
                value={submitValue}
                variant="destructive"
                onClick={(event) => {
                  // The dialog sits inside the form in the DOM, so its button submits that form, as its
                  // submitter (its name and value go along); submitted before closing, which unmounts it.
                  event.preventDefault();
                  event.currentTarget.form?.requestSubmit(event.currentTarget);
                  setOpen(false);
                }}
              >
                {confirmLabel}
              </Button>
            </div>
          </div>
        ) : null}
      </dialog>
    </>
  );
}
