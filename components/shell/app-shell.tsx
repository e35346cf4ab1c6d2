import type { ReactNode } from "react";
import { Header, type ShellUser } from "./header";
import { Sidebar } from "./sidebar";

export function AppShell({ user, children }: { user: ShellUser; children: ReactNode }) {
  return (
    <div className="flex min-h-dvh">
      <a
        href="#main-content"
        className="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-4 focus:z-50 focus:rounded-md focus:bg-background focus:px-3 focus:py-2 focus:ring-2 focus:ring-ring"
      >
        Skip to content
      </a>
      <Sidebar className="sticky top-0 h-dvh" />
      <div className="flex min-w-0 flex-1 flex-col">
        <Header user={user} />
        <main id="main-content" tabIndex={-1} className="flex-1 px-4 py-6 outline-none md:px-8">
          {children}
        </main>
      </div>
    </div>
  );
}
