import mammoth from "mammoth";
import { ParseError } from "../types";
import { briefCause, type Extracted } from "./normalize";

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

/** The document body as raw text (mammoth separates paragraphs with blank lines). */
export async function extractDocx(bytes: Uint8Array): Promise<Extracted> {
  if (startsWith(bytes, OLE_MAGIC)) {
    throw new ParseError("corrupt", "The file is an old-style Word .doc or a password-protected .docx, not a plain .docx. Remove any password and save it as .docx (Word 2007 or later), then upload it again.");
  }
  if (!startsWith(bytes, ZIP_MAGIC)) {
    throw new ParseError("corrupt", "The file is not a .docx (a .docx is a zip archive, and this is not one); it may be another kind of file renamed to .docx. Upload the original or save it as .docx again.");
  }
  try {
    const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
    return { text: result.value, emptyHint: "The .docx has no text in its body (it may hold only images)." };
  } catch (err) {
    throw new ParseError("corrupt", `The .docx is damaged or truncated and cannot be opened (${briefCause(err)}). Save it again from Word and upload the new copy.`);
  }
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}
