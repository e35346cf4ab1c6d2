import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";

export function NoPermission({ title }: { title: string }) {
  return (
    <>
      <PageHeader title={title} />
      <Alert variant="destructive">
        <AlertTitle>No access</AlertTitle>
        <AlertDescription>Your role does not allow this page. Ask an admin if you need it.</AlertDescription>
      </Alert>
    </>
  );
}
