import { ParseError } from "../types";
import { briefCause, type Extracted } from "./normalize";

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");

let pdfjsPromise: Promise<PdfJs> | undefined;

/**
 * pdfjs-dist 4 is ESM-only, hence the dynamic import from this CommonJS package. Node has no PDF
 * worker: pdf.js then runs a "fake worker" in-process, and publishing the worker module on
 * `globalThis.pdfjsWorker` lets it skip importing it by a relative path, which breaks once bundled.
 */
function loadPdfJs(): Promise<PdfJs> {
  pdfjsPromise ??= (async () => {
    const worker = await import("pdfjs-dist/legacy/build/pdf.worker.mjs");
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= worker;
    return import("pdfjs-dist/legacy/build/pdf.mjs");
  })();
  return pdfjsPromise;
}

const PDF_MAGIC = "%PDF-";

/** Text of every page, pages separated by paragraph breaks; the title from the document info. */
export async function extractPdf(bytes: Uint8Array): Promise<Extracted> {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  if (!head.includes(PDF_MAGIC)) {
    throw new ParseError("corrupt", "The file is not a PDF (it has no %PDF header); it may be another kind of file renamed to .pdf. Upload the original file or export it to PDF again.");
  }
  const pdfjs = await loadPdfJs();
  // A copy: pdf.js may take ownership of (detach) the buffer it is given, and refuses Node Buffers.
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    const pdf = await task.promise;
    const pages: string[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join(""));
      page.cleanup();
    }
    const { info } = await pdf.getMetadata().catch(() => ({ info: {} }));
    const title = (info as { Title?: unknown }).Title;
    return {
      text: pages.join("\n\n"),
      title: typeof title === "string" ? title : undefined,
      emptyHint: "The PDF has no text layer; it is probably scanned images. Run it through OCR and upload the result.",
    };
  } catch (err) {
    throw pdfError(err);
  } finally {
    await task.destroy();
  }
}

function pdfError(err: unknown): ParseError {
  const name = err instanceof Error ? err.name : "";
  if (name === "PasswordException") {
    return new ParseError("corrupt", "The PDF is password-protected. Remove the password (save an unprotected copy) and upload it again.");
  }
  if (name === "InvalidPDFException") {
    return new ParseError("corrupt", "The PDF is damaged or truncated: its structure cannot be read. Export or download it again and upload the new copy.");
  }
  return new ParseError("corrupt", `The PDF could not be read (${briefCause(err)}). Export or download it again and upload the new copy.`);
}
