import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseDocument } from ".";
import { makeDocx, makePdf } from "./test-fixtures";

const MAX = 5 * 1024 * 1024;
const parse = (path: string, content: string | Uint8Array) =>
  parseDocument({ path, bytes: typeof content === "string" ? Buffer.from(content, "utf8") : content, maxBytes: MAX });

describe("parseDocument: formats", () => {
  it("reads plain text, normalising whitespace but keeping paragraphs and lines", async () => {
    const doc = await parse("notes/Release Notes.txt", "Release 2.4\r\n\r\n\r\nFixed   the\tbackup  bug.  \r\nAdded   alerts.\r\n\r\n  Thanks!  \r\n");
    expect(doc).toEqual({ text: "Release 2.4\n\nFixed the backup bug.\nAdded alerts.\n\nThanks!", mimeType: "text/plain", encoding: "utf-8", title: "Release Notes" });
  });

  it("reads gzip-compressed files as the format inside, and extensionless or README-style text by its content", async () => {
    const changelog = "stevedore (1.2-1) unstable; urgency=medium\n\n  * New upstream release.\n";
    expect(await parse("doc/stevedore/changelog.Debian.gz", gzipSync(changelog))).toMatchObject({ text: changelog.trim().replace(/ {2}\*/, "*"), mimeType: "text/plain", title: "changelog" });
    expect(await parse("NEWS.md.gz", gzipSync("# Release 3\n\nFaster restores."))).toMatchObject({ text: "Release 3\n\nFaster restores.", mimeType: "text/markdown", title: "Release 3" });
    expect(await parse("doc/stevedore/copyright", "Files: *\nCopyright: 2026 The Stevedore authors\nLicense: MIT\n")).toMatchObject({ mimeType: "text/plain", title: "copyright" });
    expect(await parse("README.Debian", "Run stevedore with the bundled PostgreSQL.")).toMatchObject({ text: "Run stevedore with the bundled PostgreSQL.", title: "README" });
    expect(await parse("Makefile", "all:\n\tnpm run build\n")).toMatchObject({ text: "all:\nnpm run build", mimeType: "text/plain" });
  });

  it("reads a file of any other extension (source code, config, reStructuredText) as plain text when its content is text", async () => {
    expect(await parse("gdb/contrib/expect-read1.c", "#include <stdio.h>\nint main(void) { return 0; }\n")).toMatchObject({ mimeType: "text/plain", title: "expect-read1" });
    expect(await parse("adduser/examples/adduser.conf", "DSHELL=/bin/bash\nDHOME=/home\n")).toMatchObject({ text: "DSHELL=/bin/bash\nDHOME=/home" });
    expect(await parse("bzip2/manual.texi.gz", gzipSync("@node Top\n@top bzip2 and libbzip2\n"))).toMatchObject({ text: "@node Top\n@top bzip2 and libbzip2" });
    // What is not text stays refused: a known binary format by its name, unread; anything else by its content.
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    await expect(parse("libpng-dev/examples/pngtest.png", png)).rejects.toMatchObject({ reason: "unsupported", message: expect.stringMatching(/^\.png files are not supported/) });
    await expect(parse("icons/back.xbm2", png)).rejects.toMatchObject({ reason: "unsupported", message: expect.stringMatching(/^The file is not text/) });
    // A name that only usually means binary is judged by its content, as Debian ships text under it.
    expect(await parse("xtrans-dev/xtrans.html.db", '<div element="book" href="xtrans.html#xtrans"><ttl>X Transport Interface</ttl></div>\n')).toMatchObject({ mimeType: "text/plain" });
    expect(await parse("xtrans-dev/xtrans.pdf.db.gz", gzipSync("<ttl>X Transport Interface</ttl>\n"))).toMatchObject({ text: "<ttl>X Transport Interface</ttl>" });
    await expect(parse("firmware/blob.bin", png)).rejects.toMatchObject({ reason: "unsupported", message: expect.stringMatching(/^The file is not text/) });
  });

  it("strips markdown markup lightly and takes the first heading as title", async () => {
    const md = [
      "<!-- generated -->",
      "# Stevedore *Operator* Guide",
      "",
      "Read the [backup docs](https://example.com/backup) and **always** test `restore`.",
      "![diagram](img/flow.png)",
      "",
      "## Steps",
      "",
      "- Create a _collection_",
      "- [x] Upload ~~old~~ documents",
      "> Quoted tip",
      "",
      "```bash",
      "stevedore   backup --collection docs",
      "```",
      "",
      "| Field | Meaning |",
      "|-------|---------|",
      "| size  | chunk size |",
      "",
      "[ref]: https://example.com",
    ].join("\n");
    const doc = await parse("guide.MD", md);
    expect(doc.title).toBe("Stevedore Operator Guide");
    expect(doc.mimeType).toBe("text/markdown");
    expect(doc.text).toBe(
      [
        "Stevedore Operator Guide",
        "Read the backup docs and always test restore.\ndiagram",
        "Steps",
        "Create a collection\nUpload old documents\nQuoted tip",
        "stevedore backup --collection docs",
        "Field | Meaning\nsize | chunk size",
      ].join("\n\n"),
    );
  });

  it("prefers a front-matter title and understands setext headings", async () => {
    const doc = await parse("post.markdown", "---\ntitle: \"Blue-green reindex\"\ndate: 2024-01-01\n---\nOverview\n========\n\nBody text.\n");
    expect(doc.title).toBe("Blue-green reindex");
    expect(doc.text).toBe("Overview\n\nBody text.");
  });

  it("extracts visible HTML text with the <title>, entities decoded and blocks as paragraphs", async () => {
    const html = `<!doctype html><html><head><title>Status &amp; Health</title><style>p { color: red }</style>
      <script>window.secret = 1</script></head>
      <body><nav><a href="/">Home</a> | <a href="/docs">Docs</a></nav>
      <h1>Cluster   health</h1><p>All systems&nbsp;normal &mdash; 3 nodes.<br>Last check: 12:00</p>
      <ul><li>node-a</li><li>node-b</li></ul>
      <table><tr><th>Node</th><th>Load</th></tr><tr><td>a</td><td>0.5</td></tr></table>
      <pre>line 1
  line 2</pre><div hidden>do not show</div><noscript>enable JS</noscript></body></html>`;
    const doc = await parse("status.HTM", html);
    expect(doc.title).toBe("Status & Health");
    expect(doc.mimeType).toBe("text/html");
    expect(doc.text).toBe("Cluster health\n\nAll systems normal \u2014 3 nodes.\nLast check: 12:00\n\nnode-a\nnode-b\n\nNode Load\na 0.5\n\nline 1\nline 2");
  });

  it("extracts every page of a PDF, in order, with its metadata title", async () => {
    const pdf = await makePdf({
      title: "Quarterly Operations Report",
      pages: [["Revenue grew 12% in Q3.", "Costs were flat."], ["Page two: outlook for Q4."]],
    });
    const doc = await parse("reports/q3.PDF", pdf);
    expect(doc).toEqual({
      text: "Revenue grew 12% in Q3.\nCosts were flat.\n\nPage two: outlook for Q4.",
      mimeType: "application/pdf",
      title: "Quarterly Operations Report",
    });
  });

  it("titles a PDF without metadata after its file name", async () => {
    const doc = await parse("scan-0042.pdf", await makePdf({ pages: [["Invoice 42"]] }));
    expect(doc.title).toBe("scan-0042");
  });

  it("extracts a DOCX's paragraphs", async () => {
    const docx = await makeDocx(["Incident review", "The backup job failed at 03:00 because the disk was full.", "Action: add a disk alert."]);
    const doc = await parse("Incident Review.docx", docx);
    expect(doc).toEqual({
      text: "Incident review\n\nThe backup job failed at 03:00 because the disk was full.\n\nAction: add a disk alert.",
      mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      title: "Incident Review",
    });
  });

  it("flattens JSON into key-path lines, strings verbatim", async () => {
    const json = JSON.stringify({ name: "docs", config: { dimension: 384, distance: "cosine" }, tags: ["prod", "eu"], owners: [{ email: "a@x.io" }], archived: false, note: null });
    const doc = await parse("collection.json", json);
    expect(doc.mimeType).toBe("application/json");
    expect(doc.text).toBe("name: docs\nconfig.dimension: 384\nconfig.distance: cosine\ntags: prod, eu\nowners[0].email: a@x.io\narchived: false\nnote: null");
  });

  it("reads a top-level JSON string as the string itself", async () => {
    expect((await parse("quote.json", '"Hello, \\"world\\""')).text).toBe('Hello, "world"');
  });

  it("turns CSV rows into header-aware lines, with quoted fields and empty cells", async () => {
    const csv = 'id,name,role,notes\r\n1,Ada Lovelace,admin,"Wrote the first program, 1843"\r\n2,Grace Hopper,operator,\r\n';
    const doc = await parse("users.csv", csv);
    expect(doc.mimeType).toBe("text/csv");
    expect(doc.text).toBe("id: 1; name: Ada Lovelace; role: admin; notes: Wrote the first program, 1843\nid: 2; name: Grace Hopper; role: operator");
  });

  it("detects semicolon-delimited CSV (as exported by European spreadsheets)", async () => {
    const doc = await parse("prices.csv", "product;price\nTee;12,50\n");
    expect(doc.text).toBe("product: Tee; price: 12,50");
  });
});
