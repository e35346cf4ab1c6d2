import { CsvError, parse } from "csv-parse/sync";
import { ParseError } from "../types";
import type { Extracted } from "./normalize";

const DELIMITERS = [",", ";", "\t", "|"] as const;

/**
 * The first row is the header; every later row becomes one `column: value; column: value` line
 * (empty cells left out), so a chunk keeps the column names that give a value its meaning.
 */
export function extractCsv(text: string): Extracted {
  let rows: Array<{ record: string[]; info: { lines: number } }>;
  try {
    const options = { delimiter: sniffDelimiter(text), skip_empty_lines: true, trim: true, relax_column_count: true, info: true };
    // csv-parse's typings do not model `info: true`, which wraps each record with its line number.
    rows = parse(text, options) as unknown as typeof rows;
  } catch (err) {
    throw malformed(describeCsvError(text, err));
  }
  const [header, ...records] = rows;
  if (!header || records.length === 0) {
    return { text: "", emptyHint: "The CSV has a header row but no data rows." };
  }
  const columns = header.record.map((name, i) => name || `column ${i + 1}`);
  const ragged = records.find((r) => r.record.length !== columns.length);
  if (ragged) {
    throw malformed(`the row on line ${ragged.info.lines} has ${ragged.record.length} fields but the header row has ${columns.length}`);
  }
  const lines = records.map(({ record }) =>
    record
      .map((value, i) => (value ? `${columns[i]}: ${value}` : ""))
      .filter(Boolean)
      .join("; "),
  );
  return { text: lines.filter(Boolean).join("\n"), emptyHint: "Every data cell in the CSV is empty." };
}

function malformed(detail: string): ParseError {
  return new ParseError("corrupt", `The CSV is malformed: ${detail}. Fix that row (or export the file again) and upload it again.`);
}

/** The candidate delimiter that occurs most often in the header line (comma when none does). */
function sniffDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  let best: string = ",";
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const count = firstLine.split(delimiter).length - 1;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

function describeCsvError(text: string, err: unknown): string {
  if (!(err instanceof CsvError)) return err instanceof Error ? err.message.split("\n")[0]! : String(err);
  const line = typeof err.lines === "number" ? `line ${err.lines}` : "an unknown line";
  switch (err.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return `the quoted field that starts on line ${lineAtByte(text, err.bytes)} is never closed`;
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return `a quoted field on ${line} has text after its closing quote`;
    default:
      return `${err.message.split("\n")[0]}`;
  }
}

/** csv-parse reports where the last complete record ended as a UTF-8 byte offset. */
function lineAtByte(text: string, bytes: unknown): string {
  if (typeof bytes !== "number") return "an unknown line";
  const before = Buffer.from(text, "utf8").subarray(0, bytes).toString("utf8");
  return String(before.split("\n").length);
}
