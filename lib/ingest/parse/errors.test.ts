import { gzipSync } from "node:zlib";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { parseDocument, SUPPORTED_EXTENSIONS } from ".";
import { ParseError, type ParseFailure } from "../types";
import { junkBytes, makeDocx, makeImageOnlyPdf, makePasswordProtectedPdf, makePdf } from "./test-fixtures";

const MAX = 1024 * 1024;

async function failure(path: string, content: string | Uint8Array, maxBytes = MAX): Promise<ParseError> {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  const err = await parseDocument({ path, bytes, maxBytes }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ParseError)) throw new Error(`expected a ParseError for ${path}, got ${String(err)}`);
  return err;
}

async function expectFailure(path: string, content: string | Uint8Array, reason: ParseFailure, message: RegExp, maxBytes = MAX) {
  const err = await failure(path, content, maxBytes);
  expect({ reason: err.reason, message: err.message }).toEqual({ reason, message: expect.stringMatching(message) });
  expect(err.message).not.toMatch(/\n\s+at /); // no stack traces in operator-facing messages
}

describe("parseDocument: rejected input", () => {
  it("rejects an unsupported extension, naming it and the supported ones", async () => {
    await expectFailure("slides.pptx", "x", "unsupported", /^\.pptx files are not supported; supported: \.txt, .*\.pdf, \.docx/);
    await expectFailure("program", junkBytes(4096), "unsupported", /^The file is not text, and its name gives no supported format; supported: \.txt/);
    await expectFailure("backup.tar.gz", gzipSync("not a tar"), "unsupported", /^\.tar\.gz files are not supported/);
    expect(SUPPORTED_EXTENSIONS).toEqual([".txt", ".md", ".markdown", ".html", ".htm", ".json", ".csv", ".pdf", ".docx"]);
  });

  it("rejects a file over the size limit with both sizes in human units, before reading it", async () => {
    await expectFailure("dump.txt", junkBytes(2 * 1024 * 1024 + 512), "too_large", /^The file is 2\.0 MiB, over the 1 MiB limit .*Split it/);
    await expectFailure("big.pdf", Buffer.alloc(1536, 0x41), "too_large", /1\.5 KiB, over the 1 KiB limit/, 1024);
  });

  it("refuses a .gz that inflates past the size limit without inflating it whole, and one that is not gzip as corrupt", async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x61)); // 64 MiB of text in about 64 KiB
    expect(bomb.length).toBeLessThan(MAX);
    await expectFailure("changelog.gz", bomb, "too_large", /^The file decompresses to more than the 1 MiB limit for one document/);
    await expectFailure("notes.txt.gz", junkBytes(2048), "corrupt", /^The file is not a valid gzip file/);
  });

  it("rejects empty and whitespace-only files as empty", async () => {
    await expectFailure("empty.txt", new Uint8Array(0), "empty", /empty \(0 bytes\)/);
    await expectFailure("empty.pdf", new Uint8Array(0), "empty", /empty \(0 bytes\)/);
    await expectFailure("blank.md", " \n\t\r\n  ", "empty", /only whitespace/);
  });

  it("rejects files whose markup holds no text as empty, saying why", async () => {
    await expectFailure("shell.html", "<html><head><title>x</title></head><body><script>app()</script></body></html>", "empty", /^No text could be extracted\. The page has no visible text; it may be built by JavaScript/);
    await expectFailure("scan.pdf", await makeImageOnlyPdf(), "empty", /no text layer.*OCR/);
    await expectFailure("blank.docx", await makeDocx([]), "empty", /no text in its body/);
    await expectFailure("empty.json", '{"a": {}, "b": []}', "empty", /no values/);
    await expectFailure("header.csv", "id,name\n", "empty", /header row but no data rows/);
    await expectFailure("index.md", "---\ntitle: API Reference\n---\n", "empty", /front matter \(metadata\) but no body text/);
  });

  it("rejects binary content named as text", async () => {
    await expectFailure("notes.txt", junkBytes(4096), "binary", /looks like a binary file, not text/);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), junkBytes(600)]);
    await expectFailure("logo.md", png, "binary", /binary file/);
    const controls = Buffer.from("ok\u0001\u0002\u0003\u0004 text \u0005\u0006\u0007\u0008", "latin1");
    await expectFailure("weird.csv", controls, "binary", /binary file/);
  });

  it("rejects bad PDFs as corrupt with the reason", async () => {
    await expectFailure("random.pdf", junkBytes(2048), "corrupt", /not a PDF \(it has no %PDF header\)/);
    const pdf = await makePdf({ title: "t", pages: [["hello"], ["world"]] });
    await expectFailure("cut.pdf", pdf.subarray(0, Math.floor(pdf.length / 2)), "corrupt", /damaged or truncated/);
    await expectFailure("header-only.pdf", "%PDF-1.7\n%garbage", "corrupt", /damaged or truncated/);
    await expectFailure("locked.pdf", await makePasswordProtectedPdf(), "corrupt", /password-protected/);
  });

  it("rejects bad DOCX files as corrupt with the reason", async () => {
    const docx = await makeDocx(["A paragraph long enough to matter.", "Another one."]);
    await expectFailure("cut.docx", docx.subarray(0, Math.floor(docx.length * 0.6)), "corrupt", /damaged or truncated/);
    await expectFailure("random.docx", junkBytes(1000), "corrupt", /not a \.docx/);
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), junkBytes(500)]);
    await expectFailure("legacy.docx", ole, "corrupt", /old-style Word \.doc or a password-protected/);
    const zipWithoutDocument = await new JSZip().file("hello.txt", "hi").generateAsync({ type: "uint8array" });
    await expectFailure("other.docx", zipWithoutDocument, "corrupt", /damaged or truncated.*main document/);
  });

  it("rejects invalid JSON with the parser's message and a line and column", async () => {
    await expectFailure("trailing.json", '{\n  "a": 1,\n}', "corrupt", /^The file is not valid JSON: Expected double-quoted property name at line 3, column 1\./);
    await expectFailure("missing.json", '{\n  "a": 1\n  "b": 2\n}', "corrupt", /Expected ',' or '}' after property value at line 3, column 3/);
    // V8 gives no position for "Unexpected token"; our own scan finds it.
    await expectFailure("value.json", '{\n  "ok": true,\n  "n": }', "corrupt", /Unexpected token '}' at line 3, column 8/);
    await expectFailure("nan.json", "[1, NaN]", "corrupt", /Unexpected token 'N' at line 1, column 5/);
  });

  it("rejects malformed CSV with the line number", async () => {
    await expectFailure("ragged.csv", "id,name,role\n1,Ada,admin\n2,Grace\n", "corrupt", /the row on line 3 has 2 fields but the header row has 3/);
    await expectFailure("quote.csv", 'id,name\n1,Ada\n2,"Grace\n3,Linus\n', "corrupt", /the quoted field that starts on line 3 is never closed/);
    await expectFailure("closing.csv", 'id,name\n1,"Ada" Lovelace\n', "corrupt", /a quoted field on line 2 has text after its closing quote/);
  });

  it("only ever rejects with ParseError, whatever bytes arrive under whatever name", async () => {
    const samples = [junkBytes(1), junkBytes(37, "a"), junkBytes(5000, "b"), Buffer.from("%PDF-"), Buffer.from("PK\u0003\u0004junk"), Buffer.from("{"), Buffer.from('"'), Buffer.from("<"), Buffer.from("\u00ff\u00fe", "latin1")];
    for (const ext of SUPPORTED_EXTENSIONS) {
      for (const bytes of samples) {
        const outcome = await parseDocument({ path: `fuzz${ext}`, bytes, maxBytes: MAX }).then(
          () => "parsed",
          (e: unknown) => (e instanceof ParseError ? "rejected" : e),
        );
        expect(["parsed", "rejected"]).toContain(outcome);
      }
    }
  });
});
