"use client";

import { Monitor, Moon, Sun } from "lucide-react";
import { useTheme } from "next-themes";
import { useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";

const themeCycle = ["system", "light", "dark"] as const;
type ThemeChoice = (typeof themeCycle)[number];

const themeIcons = { system: Monitor, light: Sun, dark: Moon } as const;

function subscribeToNothing() {
  return () => {};
}

/** The stored theme is only known in the browser; render the neutral icon until hydrated. */
function useIsHydrated(): boolean {
  return useSyncExternalStore(subscribeToNothing, () => true, () => false);
}

function toThemeChoice(theme: string | undefined): ThemeChoice {
  return theme === "light" || theme === "dark" ? theme : "system";
}

export function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  const hydrated = useIsHydrated();
  const current = hydrated ? toThemeChoice(theme) : "system";
  const next = themeCycle[(themeCycle.indexOf(current) + 1) % themeCycle.length] ?? "system";
  const Icon = themeIcons[current];

  return (
    <Button
      variant="ghost"
      size="icon"
      aria-label="Toggle theme"
      title={`Theme: ${current} (switch to ${next})`}
      onClick={() => setTheme(next)}
    >
      <Icon />
    </Button>
  );
}
