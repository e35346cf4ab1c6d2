import { redirect } from "next/navigation";
import { sessionContext } from "@/lib/auth/actor";
import { LoginForm } from "./login-form";

export const metadata = { title: "Sign in · Stevedore" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await sessionContext()) redirect("/");
  const { callbackUrl } = await searchParams;
  // Only same-site paths: a sign-in page must not be an open redirect.
  const next = callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
  return (
    <main className="flex min-h-dvh items-center justify-center bg-muted/40 p-4">
      <div className="w-full max-w-sm">
        <h1 className="mb-1 text-2xl font-semibold tracking-tight">Stevedore</h1>
        <p className="mb-6 text-sm text-muted-foreground">Operations console for vector-search collections</p>
        <LoginForm next={next} />
      </div>
    </main>
  );
}
