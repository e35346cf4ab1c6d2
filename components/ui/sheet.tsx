"use client";

import { X } from "lucide-react";
import { useId, useRef, type PointerEvent, type ReactNode } from "react";
import { cn } from "./cn";
import { useModalDialog } from "./use-modal-dialog";

export type SheetProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  side?: "left" | "right";
  className?: string;
  children?: ReactNode;
};

const sideClasses = {
  right: "right-0 left-auto border-l motion-safe:starting:translate-x-full",
  left: "left-0 right-auto border-r motion-safe:starting:-translate-x-full",
} as const;

/** A side drawer on a native modal <dialog>: focus trap, Escape and top-layer stacking come free. */
export function Sheet({ open, onOpenChange, title, description, side = "right", className, children }: SheetProps) {
  const dialogRef = useModalDialog(open);
  const pressStartedOnBackdrop = useRef(false);
  const titleId = useId();
  const descriptionId = useId();

  // A click on the ::backdrop targets the <dialog> itself; the panel's children cover the rest.
  // Requiring the press to start there too keeps a text selection dragged outward from closing it.
  function rememberPressTarget(event: PointerEvent<HTMLDialogElement>) {
    pressStartedOnBackdrop.current = event.target === event.currentTarget;
  }

  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        event.preventDefault();
        onOpenChange(false);
      }}
      onClose={() => {
        if (open) onOpenChange(false);
      }}
      onPointerDown={rememberPressTarget}
      onClick={(event) => {
        if (pressStartedOnBackdrop.current && event.target === event.currentTarget) onOpenChange(false);
      }}
      className={cn(
        "fixed inset-y-0 m-0 h-dvh max-h-none w-full max-w-md bg-background p-0 text-foreground shadow-xl",
        "transition-transform duration-200 backdrop:bg-black/50",
        sideClasses[side],
        className,
      )}
    >
      {/* Nothing inside renders while closed, so a closed drawer's text never matches a page query. */}
      {open ? (
        <SheetPanel title={title} titleId={titleId} description={description} descriptionId={descriptionId} onClose={() => onOpenChange(false)}>
          {children}
        </SheetPanel>
      ) : null}
    </dialog>
  );
}

type SheetPanelProps = {
  title: string;
  titleId: string;
  description?: ReactNode;
  descriptionId: string;
  onClose: () => void;
  children?: ReactNode;
};

function SheetPanel({ title, titleId, description, descriptionId, onClose, children }: SheetPanelProps) {
  return (
    <div className="flex h-full flex-col">
      <div className="flex items-start justify-between gap-4 border-b px-5 py-4">
        <div className="min-w-0 space-y-1">
          <h2 id={titleId} className="text-lg font-semibold leading-tight">
            {title}
          </h2>
          {description ? (
            <div id={descriptionId} className="text-sm text-muted-foreground">
              {description}
            </div>
          ) : null}
        </div>
        <button
          type="button"
          aria-label="Close"
          onClick={onClose}
          className="rounded-md p-1 text-muted-foreground outline-none hover:bg-accent hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring"
        >
          <X className="size-4" />
        </button>
      </div>
      <div className="flex-1 overflow-y-auto px-5 py-4">{children}</div>
    </div>
  );
}
