import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "./card";
import { PageHeader } from "./page-header";

export type ComingSoonProps = {
  title: string;
  description?: string;
  /** What the finished page will show, one entry per line of the list. */
  items: readonly string[];
};

export function ComingSoon({ title, description, items }: ComingSoonProps) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <Card>
        <CardHeader>
          <CardTitle>Coming soon</CardTitle>
          <CardDescription>This page will hold:</CardDescription>
        </CardHeader>
        <CardContent>
          <ul className="list-disc space-y-1 pl-5 text-sm">
            {items.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </CardContent>
      </Card>
    </>
  );
}
