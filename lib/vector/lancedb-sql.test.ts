import { describe, expect, it } from "vitest";
import { andSql, filterToSql, idsToSql, sqlString } from "./lancedb-sql";

describe("LanceDB filter SQL", () => {
  it("doubles quotes inside string literals", () => {
    expect(sqlString("x' OR '1'='1")).toBe("'x'' OR ''1''=''1'");
  });

  it("uses the mirrored column for string values of promoted keys and JSON for everything else", () => {
    expect(filterToSql({ document_id: ["a", "b"], ordinal: 3 })).toBe(
      "document_id IN ('a', 'b') AND json_extract(payload, '$.ordinal') = '3'",
    );
    expect(filterToSql({ lang: "en", flag: false })).toBe(
      "json_extract(payload, '$.lang') = '\"en\"' AND json_extract(payload, '$.flag') = 'false'",
    );
    expect(filterToSql({ source_id: ["s", 7] })).toBe("(source_id = 's' OR json_extract(payload, '$.source_id') = '7')");
  });

  it("returns empty for no filter, null for one that matches nothing, and rejects unsafe keys", () => {
    expect(filterToSql(undefined)).toBe("");
    expect(filterToSql({ document_id: [] })).toBeNull();
    expect(() => filterToSql({ "payload') OR ('1": "x" })).toThrow(/key/);
  });

  it("builds id lists only from UUIDs and joins clauses", () => {
    expect(idsToSql(["6F1D1C1E-0000-4000-8000-000000000000"])).toBe("id = '6f1d1c1e-0000-4000-8000-000000000000'");
    expect(() => idsToSql(["' OR 1=1 --"])).toThrow(/UUID/);
    expect(andSql("a = 1", null, "b = 2")).toBe("(a = 1) AND (b = 2)");
    expect(andSql("", "b = 2")).toBe("b = 2");
  });
});
