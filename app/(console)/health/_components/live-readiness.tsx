"use client";

import { useQuery } from "@tanstack/react-query";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { readinessQuery } from "@/lib/query/dashboard";
import type { Readiness } from "@/lib/services/health/check-ready";
import { StatusBadge } from "../status-badge";

/** The current state of every component, checked again every 10 s while the page is open. */
export function LiveReadiness({ initial }: { initial: Readiness }) {
  const { data = initial, error } = useQuery({ ...readinessQuery(), initialData: initial });
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          Overall: <StatusBadge status={data.status} />
        </CardTitle>
        <CardDescription>
          Checked at {new Date(data.checkedAt).toISOString()}; refreshes every 10 s.
          {error && <span className="text-destructive"> Live refresh paused: {error.message}</span>}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <Table>
          <THead>
            <TR>
              <TH>Component</TH>
              <TH>Status</TH>
              <TH>Latency</TH>
              <TH>Detail</TH>
            </TR>
          </THead>
          <TBody>
            {data.checks.map((check) => (
              <TR key={check.name}>
                <TD className="font-medium">{check.name}</TD>
                <TD>
                  <StatusBadge status={check.status} />
                </TD>
                <TD>{check.latencyMs} ms</TD>
                <TD className="text-muted-foreground">{[check.message, check.detail].filter(Boolean).join(" · ") || "—"}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </CardContent>
    </Card>
  );
}
