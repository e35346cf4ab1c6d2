import type { ComponentProps } from "react";
import { cn } from "./cn";
import { controlClasses } from "./input";

/** A styled native <select>: keyboard, mobile pickers and form posts work without script. */
export function Select({ className, ...props }: ComponentProps<"select">) {
  return <select className={cn(controlClasses, "h-9 py-1 pr-8", className)} {...props} />;
}
